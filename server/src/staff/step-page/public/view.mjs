/*
 * The step page's DOM: the elements of the served HTML (server/src/staff/step-page/html.ts) by id. Text only ever
 * goes in through textContent, links and images only from checked http(s) URLs.
 */
/* global document, window */

import { offersBackupCode } from './backup-code.mjs';
import { translator } from './i18n.mjs';

export const $ = (id) => document.getElementById(id);

/** The page's words (i18n.mjs), set by app.mjs once it knows the language. */
let t = translator('en');

export function setTranslator(translate) {
  t = translate;
}

/** The admin's interface theme (Profile → Interface mode: light, dark or the system's), as the admin applies it. */
export function applyTheme(choice) {
  const dark = choice === 'dark' || (choice !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** The live status line (role="status") under the title; the problem line (role="alert") is apart. */
export function status(message) {
  $('duo-status').textContent = message || '';
}

export function problem(message) {
  $('duo-problem').textContent = message || '';
}

export function setIntro(message) {
  $('duo-intro').textContent = message;
}

export function setLogo(src) {
  $('duo-logo').src = src;
}

export function setBackHref(href) {
  $('duo-back').href = href;
}

export function setExpiry(message) {
  $('duo-expiry').textContent = message || '';
}

/** The Verified Push code the user types into Duo Mobile; null hides it. */
export function verificationCode(code) {
  $('duo-code').hidden = !code;
  $('duo-code-value').textContent = code || '';
}

/** Draws Duo's verdict: the activation for `enroll`, the device and the ways to verify for `auth`. */
export function renderDuoOptions(duo) {
  const enrolling = duo.result === 'enroll';
  $('duo-enroll').hidden = !enrolling;
  // The Universal Prompt's ways to verify are on Duo's own page.
  $('duo-verify').hidden = enrolling || duo.result === 'universal' || duo.result === 'unavailable';
  $('duo-backup').hidden = !offersBackupCode(duo);
  // Duo out of reach: a backup code is the one way in, so its form is open.
  $('duo-backup').open = duo.result === 'unavailable';
  if (duo.result === 'universal' || duo.result === 'unavailable') return;
  if (enrolling) renderActivation(duo);
  else renderDevices(duo);
}

function renderDevices(duo) {
  const select = $('duo-device');
  select.replaceChildren(
    ...duo.devices.map((device) => {
      const option = document.createElement('option');
      option.value = device.id;
      option.textContent = device.name;
      option.dataset.capabilities = device.capabilities.join(' ');
      return option;
    }),
  );
  // One device needs no choice; with none (a hardware token only, a bypass code), passcodes still work.
  $('duo-device-field').hidden = duo.devices.length < 2;
  renderFactors(duo);
}

/** Offers what the chosen device can do; passcodes always work (Duo Mobile, SMS, tokens, bypass codes). */
export function renderFactors(duo) {
  const option = $('duo-device').selectedOptions[0];
  const can = option ? option.dataset.capabilities.split(' ') : [];
  const offer = (factor) => duo.factors.includes(factor) && can.includes(factor);
  $('duo-push').hidden = !offer('push');
  $('duo-phone').hidden = !offer('phone');
  $('duo-sms').hidden = !offer('sms');
  $('duo-other-ways').hidden = !offer('phone') && !offer('sms');
  $('duo-passcode-title').textContent = t(offer('push') ? 'verify.orPasscode' : 'verify.enterPasscode');
}

function renderActivation(duo) {
  const { activation } = duo;
  $('duo-activation').hidden = !activation;
  // Duo's own enrolment portal, when Duo cannot make an activation code for this user.
  $('duo-portal').hidden = Boolean(activation) || !duo.enrollPortalUrl;
  if (duo.enrollPortalUrl) $('duo-portal-link').href = duo.enrollPortalUrl;
  if (!activation) return;
  $('duo-qr').src = activation.qrCodeUrl;
  $('duo-activation-link').href = activation.activationUrl;
  $('duo-activation-code').textContent = activation.activationCode;
}

export function selectedDevice() {
  return $('duo-device').value || undefined;
}

export function passcode() {
  return $('duo-passcode').value.trim();
}

export function clearPasscode() {
  $('duo-passcode').value = '';
}

export function focusPasscode() {
  $('duo-passcode').focus();
}

/** The step is over (allowed, denied, expired, locked): no more ways to verify; Back to sign-in stands out. */
export function ended({ success }) {
  $('duo-verify').hidden = true;
  document.querySelector('main.card').classList.add('ended');
  $('duo-enroll').hidden = true;
  $('duo-backup').hidden = true;
  $('duo-grace').hidden = true;
  $('duo-universal-go-row').hidden = true;
  verificationCode(null);
  setExpiry('');
  const back = $('duo-back');
  back.classList.toggle('button', !success);
  back.hidden = Boolean(success);
  if (!success) back.focus();
}

/** Disables a button while its request runs, so a double click cannot start two pushes. */
export function whileBusy(button, work) {
  return async (event) => {
    if (event) event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    try {
      await work();
    } finally {
      button.disabled = false;
    }
  };
}
