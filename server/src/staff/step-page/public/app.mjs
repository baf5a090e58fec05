/*
 * The admin Duo step: after a correct password on the admin login form, the plugin's glue (admin/src/glue) puts
 * the Duo step in sessionStorage and opens this page. It drives the step (push with live status, phone call, SMS,
 * passcode, or Duo Mobile enrolment), then stores the admin session where Strapi's admin app reads it and goes on.
 */
/* global window, document, navigator, sessionStorage, localStorage, URL */

import { ADMIN_LANGUAGE_KEY, pickLanguage, translatePage, translator } from './i18n.mjs';
import { deniedText, duoSaid, errorText, knownText, retryText, statusText } from './server-text.mjs';

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
import { universal } from './universal.mjs';
import { wireBackupCode } from './backup-code.mjs';
import { wirePostpone } from './postpone.mjs';
import { showFirstCodes } from './first-codes.mjs';
import * as view from './view.mjs';

const adminPath = document.body.dataset.adminPath || '/admin';
const strapiMajor = document.body.dataset.strapiMajor === '5' ? 5 : 4;
const origin = window.location.origin;
// Relative to this script, so a path prefix in front of Strapi changes nothing.
const STEP_ENDPOINTS = new URL('../step/', import.meta.url);
const FALLBACK_LOGO = new URL('logo.svg', import.meta.url).href;

/** The administrator's interface language in Strapi's admin (same origin), else the browser's, else English. */
const t = translator(pickLanguage(storedLanguage(), navigator.languages || [navigator.language]));

function storedLanguage() {
  try {
    return localStorage.getItem(ADMIN_LANGUAGE_KEY);
  } catch {
    return null;
  }
}

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
  translatePage(document, t);
  view.setTranslator(t);
  view.applyTheme(localStorage.getItem('STRAPI_THEME'));
  view.setBackHref(signInUrl(adminPath, step && step.redirectTo, origin));
  view.setLogo(logoSource(step && step.logo, origin, FALLBACK_LOGO));
  if (!step) {
    end(t('end.noStep'));
    return view.setIntro(t('end.noStepIntro'));
  }
  wire();
  if (duo.result === 'universal') {
    const showCodes = (codes) => showFirstCodes({ view, codes }).then(leave);
    return universal({ duo, t, view, call, settle, failed, end, leave, showCodes, win: window });
  }
  if (duo.result === 'unavailable') {
    view.setIntro(t('backup.unavailable'));
    return view.renderDuoOptions(duo);
  }
  watchExpiry(step.step.expiresAt);
  if (duo.result === 'enroll') {
    view.setIntro(t('enroll.intro'));
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
  view.setIntro(t('end.intro'));
  generation += 1;
  clearStep(sessionStorage);
  view.status('');
  view.problem(message);
  view.ended({ success: false });
}

/** Signed in: the session where Strapi's admin reads it, then on (after `notice`, or the first backup codes). */
function signedIn(session, notice) {
  over = true;
  generation += 1;
  const { backupCodes, ...credentials } = session;
  storeAdminSession(
    { ...credentials, rememberMe: step.rememberMe },
    { local: localStorage, session: sessionStorage },
    strapiMajor,
  );
  clearStep(sessionStorage);
  view.problem('');
  view.ended({ success: true });
  view.status(notice || t('status.approved'));
  const target = targetAfterSignIn(adminPath, step.redirectTo, origin);
  if (backupCodes) {
    view.setIntro(t('codes.title'));
    return showFirstCodes({ view, codes: backupCodes }).then(() => window.location.replace(target));
  }
  window.setTimeout(() => window.location.replace(target), notice ? 2500 : 0);
}

/** Duo turned off from the account page: nothing to store, back to where the step started. */
function leave() {
  over = true;
  clearStep(sessionStorage);
  window.location.replace(targetAfterSignIn(adminPath, step.redirectTo, origin));
}

/** An answer that is final signs in (through `onSession` when given); anything else is a state of the open step. */
function settle(answer, onSession = signedIn) {
  const session = finalSession(answer);
  if (session) {
    onSession(session);
    return null;
  }
  return (answer && answer.data) || {};
}

/** The error's name decides: retry in place, or the step is over. Its details say what, in the page's language. */
function failed(error) {
  const message = errorText(error, t);
  switch (error.name) {
    case 'DuoPasscodeError':
      view.clearPasscode();
      if (error.details.attemptsLeft > 0) {
        view.problem(message);
        return view.focusPasscode();
      }
      return end(message);
    case 'DuoStepError':
    case 'DuoDeniedError':
      return end(message);
    default:
      // DuoFactorError (that device cannot do it), DuoUnavailableError, a network error: try again or another way.
      return view.problem(message);
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
    view.status(statusText(answer, t));
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
    view.status(duoSaid(answer.message, t, 'status.sent'));
    view.focusPasscode();
  } catch (error) {
    failed(error);
  }
}

async function submitPasscode() {
  const passcode = view.passcode();
  if (!/^[0-9]{4,16}$/.test(passcode)) {
    view.problem(t('verify.format'));
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
  const said = knownText(state.message, t);
  view.status(said || t(duo.activation ? 'enroll.waiting' : 'enroll.usePortal'));
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
    if (state.state === 'denied') return end(deniedText(state, t));
    if (state.state === 'cancelled') return end(t('end.cancelled'));
    // Duo denied the push or call but the step is open: another push, a call or a passcode, no password again.
    if (state.state === 'pending' && typeof state.promptsLeft === 'number') return retry(state);
    if (state.state === 'enrolling') {
      enrolling(state);
      if (!duo.activation) return;
    } else if (state.state === 'pending' && state.duo) {
      enrolling(state);
      // Back to the page's first line: the status below already says Duo Mobile is set up and what is left.
      view.setIntro(t('page.intro'));
      return view.status(knownText(state.message, t) || t('enroll.activated'));
    } else {
      view.status(statusText(state, t));
    }
    // Never a tight loop when the server answered at once.
    if (Date.now() - asked < 1000) await sleep(1000);
  }
}

/** The long-poll is over; the ways to verify stay on screen with why the last one failed and what is left. */
function retry(state) {
  generation += 1;
  view.verificationCode(null);
  view.status('');
  view.problem(retryText(state, t));
}

/** At the step's expiry the server has the last word (clocks differ): ask it, and end the step if it is over. */
function watchExpiry(expiresAt) {
  const at = Date.parse(expiresAt || '');
  if (Number.isNaN(at)) return;
  view.setExpiry(t('status.expiry', { time: new Date(at).toLocaleTimeString(t.language) }));
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
  wireBackupCode({ view, t, call, settle, failed, signedIn });
  wirePostpone({ view, t, call, settle, failed, signedIn, duo });
}

start();
