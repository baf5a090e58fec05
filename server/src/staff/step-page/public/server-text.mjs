/*
 * What the server's step answers say, in the page's language. The server writes English for people
 * (server/src/engine/errors.ts, server/src/engine/step/*); the page reads the error's name and details
 * (attemptsLeft, state, reason, factor) or the answer's state, duoStatus and promptsLeft, and says the same in its
 * own words. An answer it does not know keeps the server's text, which only ever goes in through textContent.
 * In English the words are the server's, unchanged (a unit test holds the two together).
 */

const STEP_STATES = ['unknown', 'expired', 'consumed', 'denied', 'cancelled', 'allowed', 'wrong-purpose'];
const FACTORS = ['push', 'phone', 'sms'];

/** Texts of step answers (not errors) the server sends as they are. */
const KNOWN_TEXTS = {
  'The activation expired; start it again': 'enroll.expired',
  "Add a device in Duo's enrolment portal, then continue": 'enroll.portalThenContinue',
  'Duo Mobile is activated: approve one sign-in to finish': 'enroll.activated',
  'Duo is unavailable; the sign-in continues without it': 'status.failedOpen',
};

/** A message of the server, in the page's language when it is one the page knows; else as it is. */
export function knownText(message, t) {
  const key = typeof message === 'string' ? KNOWN_TEXTS[message] : undefined;
  return key ? t(key) : message;
}

/** Duo's own words (its status message, always English) in English; the page's words for the same in others. */
export function duoSaid(message, t, key) {
  return t.language === 'en' && typeof message === 'string' && message !== '' ? message : t(key);
}

function factorName(factor, t) {
  return FACTORS.includes(factor) ? t(`factor.${factor}`) : factor;
}

function factorText(message, t) {
  const same = {
    'Enrol a device with Duo first': 'error.enrolFirst',
    'This account is already enrolled with Duo': 'error.alreadyEnrolled',
    'No more Duo prompts on this sign-in step: answer the last one, enter a passcode, or sign in again':
      'error.noMorePrompts',
  };
  if (same[message]) return t(same[message]);
  let match;
  if ((match = /^No device of this account can use (\w+)$/.exec(message))) {
    return t('error.noDevice', { factor: factorName(match[1], t) });
  }
  if ((match = /^That device cannot use (\w+)$/.exec(message))) {
    return t('error.deviceCannot', { factor: factorName(match[1], t) });
  }
  if ((match = /^Duo could not start the enrolment: ([\s\S]*)$/.exec(message))) {
    return t('error.couldNotEnrol', { reason: match[1] });
  }
  if ((match = /^Duo could not send SMS passcodes: ([\s\S]*)$/.exec(message))) {
    return t('error.couldNotSendSms', { reason: match[1] });
  }
  if ((match = /^Duo could not start (\w+): ([\s\S]*)$/.exec(message))) {
    return t('error.couldNotStart', { factor: factorName(match[1], t), reason: match[2] });
  }
  return message;
}

function deniedErrorText(error, t) {
  switch (error.details.reason) {
    case 'identity':
      return t('error.identity');
    case 'unexpected-result':
      return t('error.notUnderstood');
    case 'duo-deny': {
      if (error.message === 'Duo refused this sign-in') return t('error.duoDeny');
      const match = /^Duo refused this sign-in: ([\s\S]*)$/.exec(error.message);
      return match ? t('error.duoDenyBecause', { reason: match[1] }) : error.message;
    }
    default:
      return error.message;
  }
}

/** A step error (step-client.mjs's StepError: name, message, details) for people; unknown ones as the server said. */
export function errorText(error, t) {
  const details = error.details || {};
  switch (error.name) {
    case 'DuoPasscodeError':
      if (typeof details.attemptsLeft !== 'number') return error.message;
      return details.attemptsLeft > 0
        ? t('error.passcode', { count: details.attemptsLeft })
        : t('error.passcodeLocked');
    case 'DuoStepError':
      return STEP_STATES.includes(details.state) ? t(`error.step.${details.state}`) : error.message;
    case 'DuoDeniedError':
      return deniedErrorText({ message: error.message, details }, t);
    case 'DuoUnavailableError':
      return t('error.unavailable');
    case 'DuoFactorError':
      return factorText(error.message, t);
    case 'NetworkError':
      return t('error.network');
    default:
      return error.message;
  }
}

/** A push or call in progress (`waiting`, or just started). */
export function statusText(state, t) {
  if (['pushed', 'calling', 'answered'].includes(state.duoStatus)) return t(`status.${state.duoStatus}`);
  return knownText(state.message, t) || t('status.waiting');
}

/** Why Duo denied the last push or call, one sentence ending with a full stop. */
export function whyDenied(state, t) {
  if (state.duoStatus === 'timeout') return t('denied.timeout');
  const words = typeof state.message === 'string' && state.message !== '' ? state.message : null;
  const plain = t.language !== 'en' && (state.duoStatus === undefined || state.duoStatus === 'deny');
  if (words === null || plain) return t('denied.refused');
  return `${words.replace(/[.!]+$/, '')}.`;
}

/** Duo denied a push or call and the step stays open (`pending` with promptsLeft): why, and what is left. */
export function retryText(state, t) {
  const then = state.promptsLeft > 0 ? t('denied.tryAgain', { count: state.promptsLeft }) : t('denied.passcodeOnly');
  return `${whyDenied(state, t)} ${then}`;
}

/** The step ended denied (`denied`): why, said once. */
export function deniedText(state, t) {
  if (state.duoStatus === 'fraud') return t('denied.fraud');
  // The server's message already says the prompts ran out; say it once, in the page's words.
  if (state.promptsLeft === 0) {
    const why = state.duoStatus === 'timeout' ? t('denied.lastTimeout') : t('denied.lastDenied');
    return t('denied.last', { why });
  }
  return t('denied.signInAgain', { why: whyDenied(state, t) });
}
