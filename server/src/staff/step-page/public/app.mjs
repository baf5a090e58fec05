/*
 * The admin Duo step: after a correct password on the admin login form, the plugin's glue (admin/src/glue) puts
 * the Duo step in sessionStorage and opens this page. It drives the step (push with live status, phone call, SMS,
 * passcode, or Duo Mobile enrolment), then stores the admin session where Strapi's admin app reads it and goes on.
 */
/* global window, document, sessionStorage, localStorage, URL */

import {
  clearStep,
  logoSource,
  readDuoOptions,
  readStep,
  signInUrl,
  storeAdminSession,
  targetAfterSignIn,
} from './session.mjs';
import { finalSession, stepClient } from './step-client.mjs';
import * as view from './view.mjs';

const adminPath = document.body.dataset.adminPath || '/admin';
const strapiMajor = document.body.dataset.strapiMajor === '5' ? 5 : 4;
const origin = window.location.origin;
// Relative to this script, so a path prefix in front of Strapi changes nothing.
const STEP_ENDPOINTS = new URL('../step/', import.meta.url);
const FALLBACK_LOGO = new URL('logo.svg', import.meta.url).href;

const DUO_STATUS = {
  pushed: 'Duo Push sent. Approve it on your phone.',
  calling: 'Calling your phone…',
  answered: 'Call answered. Follow the instructions on the call.',
  sent: 'Passcodes sent by text message. Type one below.',
};

const step = readStep(sessionStorage);
const call = step ? stepClient(STEP_ENDPOINTS, step.step.id) : null;
/** The open step's Duo verdict; changes when an enrolment turns into an ordinary check. */
let duo = step ? step.duo : null;
/** Bumped whenever the step moves on, so a long-poll that answers late is ignored. */
let generation = 0;
let over = false;

const sleep = (ms) => new Promise((done) => window.setTimeout(done, ms));
const live = (ticket) => !over && ticket === generation;

function start() {
  view.applyTheme(localStorage.getItem('STRAPI_THEME'));
  view.setBackHref(signInUrl(adminPath, step && step.redirectTo, origin));
  view.setLogo(logoSource(step && step.logo, origin, FALLBACK_LOGO));
  if (!step) {
    end('There is no sign-in waiting for Duo in this browser tab. Sign in again to continue.');
    return view.setIntro('Nothing to verify here.');
  }
  wire();
  watchExpiry(step.step.expiresAt);
  if (duo.result === 'enroll') {
    view.setIntro('Your account must use Duo. Set up Duo Mobile, then approve one sign-in.');
    view.renderDuoOptions(duo);
    if (duo.activation) follow(generation);
    else startActivation();
  } else {
    view.renderDuoOptions(duo);
  }
}

/** The step is over without a session: say why and offer the way back. */
function end(message) {
  over = true;
  view.setIntro('This sign-in did not go through.');
  generation += 1;
  clearStep(sessionStorage);
  view.status('');
  view.problem(message);
  view.ended({ success: false });
}

function signedIn(session) {
  over = true;
  generation += 1;
  storeAdminSession(
    { ...session, rememberMe: step.rememberMe },
    { local: localStorage, session: sessionStorage },
    strapiMajor,
  );
  clearStep(sessionStorage);
  view.problem('');
  view.ended({ success: true });
  view.status('Approved. Opening the admin panel…');
  window.location.replace(targetAfterSignIn(adminPath, step.redirectTo, origin));
}

/** An answer that is final signs in; anything else is a state of the open step. */
function settle(answer) {
  const session = finalSession(answer);
  if (session) {
    signedIn(session);
    return null;
  }
  return (answer && answer.data) || {};
}

/** The error's name decides: retry in place, or the step is over. Its message is written for people. */
function failed(error) {
  switch (error.name) {
    case 'DuoPasscodeError':
      view.clearPasscode();
      if (error.details.attemptsLeft > 0) {
        view.problem(error.message);
        return view.focusPasscode();
      }
      return end(error.message);
    case 'DuoStepError':
    case 'DuoDeniedError':
      return end(error.message);
    default:
      // DuoFactorError (that device cannot do it), DuoUnavailableError, a network error: try again or another way.
      return view.problem(error.message);
  }
}

function deviceParam() {
  const device = view.selectedDevice();
  return device ? { device } : {};
}

/** Duo Push or a phone call only starts here; Duo's answer comes through /step/status. */
async function startOutOfBand(factor) {
  view.problem('');
  try {
    const answer = settle(await call(factor, deviceParam()));
    if (!answer) return;
    // Verified Push: the user types this code into Duo Mobile, proving they see this screen.
    view.verificationCode(answer.verificationCode);
    view.status(describe(answer));
    generation += 1; // a new push replaces any earlier long-poll
    follow(generation);
  } catch (error) {
    failed(error);
  }
}

async function sendSms() {
  view.problem('');
  try {
    const answer = settle(await call('sms', deviceParam()));
    if (!answer) return;
    view.status(answer.message || DUO_STATUS.sent);
    view.focusPasscode();
  } catch (error) {
    failed(error);
  }
}

async function submitPasscode() {
  const passcode = view.passcode();
  if (!/^[0-9]{4,16}$/.test(passcode)) {
    view.problem('Enter the passcode: 4 to 16 digits.');
    return view.focusPasscode();
  }
  view.problem('');
  try {
    settle(await call('passcode', { passcode }));
  } catch (error) {
    failed(error);
  }
}

/** Duo makes an activation code and a QR image for this user; Duo Mobile scans it to add the account. */
async function startActivation() {
  const ticket = generation;
  try {
    const answer = settle(await call('enroll'));
    if (!answer || !live(ticket)) return;
    enrolling(answer);
    if (duo.activation) follow(ticket);
  } catch (error) {
    if (live(ticket)) failed(error);
  }
}

function enrolling(state) {
  const next = readDuoOptions(state.duo);
  if (next) duo = next;
  view.renderDuoOptions(duo);
  if (duo.result !== 'enroll') return;
  if (duo.activation) view.status(state.message || 'Waiting for Duo Mobile to be activated…');
  else view.status(state.message || "Add a device in Duo's enrolment portal, then sign in again.");
}

/**
 * Long-polls /step/status: the server holds each call up to ~25 s and answers when Duo's state changes. While an
 * activation is pending it answers `enrolling` every ~20 s; once Duo Mobile is activated the step becomes an
 * ordinary check (`pending` with Duo's devices).
 */
async function follow(ticket) {
  while (live(ticket)) {
    const asked = Date.now();
    let state;
    try {
      state = settle(await call('status', { wait: true }));
    } catch (error) {
      if (live(ticket)) failed(error);
      return;
    }
    if (!state || !live(ticket)) return;
    if (state.state === 'denied') return end(deniedMessage(state));
    if (state.state === 'cancelled') return end('This sign-in step was cancelled; sign in again.');
    // Duo denied the push or call but the step is open: another push, a call or a passcode, no password again.
    if (state.state === 'pending' && typeof state.promptsLeft === 'number') return retry(state);
    if (state.state === 'enrolling') {
      enrolling(state);
      if (!duo.activation) return;
    } else if (state.state === 'pending' && state.duo) {
      enrolling(state);
      // Back to the page's first line: the status below already says Duo Mobile is set up and what is left.
      view.setIntro('Your password is correct. Finish signing in with Duo.');
      return view.status(state.message || 'Duo Mobile is activated: approve one sign-in to finish.');
    } else {
      view.status(describe(state));
    }
    // Never a tight loop when the server answered at once.
    if (Date.now() - asked < 1000) await sleep(1000);
  }
}

function describe(state) {
  return DUO_STATUS[state.duoStatus] || state.message || 'Waiting for Duo…';
}

/** The long-poll is over; the ways to verify stay on screen with why the last one failed and what is left. */
function retry(state) {
  generation += 1;
  view.verificationCode(null);
  view.status('');
  const left = state.promptsLeft === 1 ? 'one more push or call' : `${state.promptsLeft} more pushes or calls`;
  const then = state.promptsLeft > 0 ? `Try again (${left} on this sign-in) or enter a passcode.` : 'Enter a passcode.';
  view.problem(`${whyDenied(state)} ${then}`);
}

function whyDenied(state) {
  if (state.duoStatus === 'timeout') return 'The Duo request timed out: nobody answered it.';
  return `${(state.message || 'Duo refused the sign-in').replace(/[.!]+$/, '')}.`;
}

function deniedMessage(state) {
  if (state.duoStatus === 'fraud') {
    return 'You reported the request as fraudulent, so the sign-in was refused. Sign in again to retry.';
  }
  // The server's message already says the prompts ran out; say it once, in the page's words.
  if (state.promptsLeft === 0) {
    const why = state.duoStatus === 'timeout' ? 'The Duo request timed out.' : 'The Duo request was denied.';
    return `${why} That was the last push or call this sign-in allows. Sign in again to retry.`;
  }
  return `${whyDenied(state).replace(/\.$/, '')}. Sign in again to retry.`;
}

/** At the step's expiry the server has the last word (clocks differ): ask it, and end the step if it is over. */
function watchExpiry(expiresAt) {
  const at = Date.parse(expiresAt || '');
  if (Number.isNaN(at)) return;
  view.setExpiry(`This step expires at ${new Date(at).toLocaleTimeString()}.`);
  const check = async () => {
    if (over) return;
    try {
      settle(await call('status', { wait: false }));
      window.setTimeout(check, 15_000);
    } catch (error) {
      if (!over) failed(error);
    }
  };
  window.setTimeout(check, Math.min(Math.max(at - Date.now(), 0) + 1000, 2_147_483_647));
}

/** Back to sign-in closes the step on the server at once instead of leaving it open until it expires. */
async function backToSignIn(event) {
  event.preventDefault();
  const href = view.$('duo-back').href;
  if (!over) {
    over = true;
    await Promise.race([call('cancel').catch(() => undefined), sleep(2000)]);
  }
  clearStep(sessionStorage);
  window.location.assign(href);
}

function wire() {
  const onClick = (id, work) => view.$(id).addEventListener('click', view.whileBusy(view.$(id), work));
  onClick('duo-push', () => startOutOfBand('push'));
  onClick('duo-phone', () => startOutOfBand('phone'));
  onClick('duo-sms', sendSms);
  const form = view.$('duo-passcode-form');
  form.addEventListener('submit', view.whileBusy(form.querySelector('button[type="submit"]'), submitPasscode));
  view.$('duo-device').addEventListener('change', () => view.renderFactors(duo));
  view.$('duo-back').addEventListener('click', backToSignIn);
}

start();
