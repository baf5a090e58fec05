/*
 * Reference client for strapi-plugin-duo-security: register, sign in, the Duo step, and Security Settings →
 * Two-Factor Authentication. Plain browser JavaScript, no build step, so every request is easy to read and copy.
 *
 * The whole protocol in four rules:
 *   1. Sign in as usual (POST /api/auth/local). Either you get { jwt, user }, or HTTP 400 with
 *      error.name === 'DuoRequiredError' and error.details = { step: { id, expiresAt }, duo }.
 *   2. Drive the Duo step with POST /api/duo-security/step/<action> { step, ... }. Start a push or a call,
 *      then long-poll /step/status until it answers something final.
 *   3. "Final" is what the original request would have answered ({ jwt, user }), or, for Security Settings,
 *      { data: { enabled: true, jwt } } / { data: { enabled: false } }. Anything shaped { data: { state } } means:
 *      not done yet.
 *   4. Errors are Strapi's envelope { error: { name, message, details } }; the name says what to do next.
 *   5. Under Duo's Universal Prompt the step's duo is { result: 'universal', authorizeUrl }: there are no step
 *      actions; the tab goes to Duo and comes back with a completion code (universal.js).
 */
/* global document, window, sessionStorage */
'use strict';

(() => {
  // ---------------------------------------------------------------------------------------------------------
  // HTTP
  // ---------------------------------------------------------------------------------------------------------

  /** Same origin here; a real front end puts its Strapi URL (and allows it in CORS) instead. */
  const API = '/api';

  class ApiError extends Error {
    constructor(status, error) {
      super((error && error.message) || `HTTP ${status}`);
      this.status = status;
      this.name = (error && error.name) || 'HttpError';
      this.details = (error && error.details) || {};
    }
  }

  /** JSON in, JSON out; non-2xx answers become an ApiError carrying Strapi's error name and details. */
  async function call(path, { method, body, token } = {}) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(API + path, {
      method: method || (body === undefined ? 'GET' : 'POST'),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, json && json.error);
    return json;
  }

  const sleep = (ms) => new Promise((done) => window.setTimeout(done, ms));

  // ---------------------------------------------------------------------------------------------------------
  // Session: the users-permissions JWT. sessionStorage survives a reload but not the tab; memory alone would be
  // stricter. Never put the Duo step id here: it is a one-time key for one step, not a session.
  // ---------------------------------------------------------------------------------------------------------

  const SESSION_KEY = 'duo-example-client';
  let session = readSession();

  function readSession() {
    try {
      return JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    } catch {
      return null;
    }
  }

  function signIn({ jwt, user }) {
    session = { jwt, user };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    showAccount();
  }

  function signOut(message) {
    // users-permissions JWTs are stateless: signing out is forgetting the token.
    session = null;
    sessionStorage.removeItem(SESSION_KEY);
    // Leave nothing about the account on the page.
    $('account-name').textContent = '';
    $('account-email').textContent = '';
    showSignedOut();
    say(message || 'You are signed out.');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Page helpers
  // ---------------------------------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  const VIEWS = ['signed-out', 'duo-step', 'signed-in'];

  /** Switches views; callers announce what happened after this, so old messages go. */
  function show(view) {
    for (const id of VIEWS) $(id).hidden = id !== view;
    say('');
  }

  function say(message) {
    $('notice').textContent = message || '';
    $('problem').textContent = '';
  }

  function complain(message) {
    $('problem').textContent = message;
  }

  /** Disables a button while its request runs, so a double click cannot start two pushes. */
  function busy(button, work) {
    return async (event) => {
      if (event) event.preventDefault();
      button.disabled = true;
      try {
        await work();
      } finally {
        button.disabled = false;
      }
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Register and sign in
  // ---------------------------------------------------------------------------------------------------------

  /**
   * Both register and sign-in may answer a Duo step instead of a token (a site that requires Duo for everyone
   * sends new accounts straight to enrolment), so they share this.
   */
  async function passwordStep(path, body) {
    say('');
    try {
      signIn(await call(path, { body }));
    } catch (error) {
      if (error.name === 'DuoRequiredError') return startStep('login', error.details);
      // DuoDeniedError: Duo refuses this user outright. DuoUnavailableError: Duo is down and the site fails closed.
      complain(error.message);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // The Duo step. One at a time: `step` holds the open one; `generation` changes whenever it changes, so a
  // long-poll that comes back after the user moved on is ignored.
  // ---------------------------------------------------------------------------------------------------------

  let step = null; // { purpose: 'login' | 'enable' | 'disable', id, expiresAt, duo }
  let generation = 0;

  const INTRO = {
    login: 'Your password is correct. Finish signing in with Duo.',
    enable: 'Turn on two-factor authentication: set up Duo Mobile if asked, then approve one request.',
    disable: 'To turn off two-factor authentication, verify with Duo once more.',
  };

  function startStep(purpose, details) {
    if (details.duo.result === 'universal') return goToDuo(purpose, details);
    const {
      step: { id, expiresAt },
      duo,
    } = details;
    step = { purpose, id, expiresAt, duo };
    generation += 1;
    show('duo-step');
    $('duo-intro').textContent = INTRO[purpose];
    $('duo-expiry').textContent = `This step expires at ${new Date(expiresAt).toLocaleTimeString()}.`;
    $('duo-code').hidden = true;
    $('duo-passcode').value = '';
    status('');
    renderDuoOptions(duo);
    // Duo does not know this user yet: start a Duo Mobile activation straight away (the QR code).
    if (duo.result === 'enroll' && !duo.activation) startActivation();
    else if (duo.result === 'enroll') follow(generation);
  }

  /** Leaves the step and goes back where it started: sign-in for a login, Security Settings otherwise. */
  function endStep(message, failed) {
    const purpose = step && step.purpose;
    step = null;
    generation += 1;
    if (purpose === 'login' || !session) showSignedOut();
    else showAccount();
    if (failed) complain(message);
    else say(message);
  }

  function status(message) {
    $('duo-status').textContent = message;
  }

  /** The step id travels in the body (never in a URL that ends up in logs). */
  function stepCall(action, extra) {
    return call(`/duo-security/step/${action}`, { body: { step: step.id, ...extra } });
  }

  function renderDuoOptions(duo) {
    step.duo = duo;
    const enrolling = duo.result === 'enroll';
    $('duo-enroll').hidden = !enrolling;
    $('duo-verify').hidden = enrolling;
    if (enrolling) return renderActivation(duo);

    // Duo's own device list: ids are what /step/push, /phone and /sms accept as `device`.
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
    $('duo-device-label').hidden = duo.devices.length === 0;
    select.hidden = duo.devices.length === 0;
    renderFactors();
  }

  /** Offer only what the chosen device can do; passcodes always work (Duo Mobile, SMS, tokens, bypass codes). */
  function renderFactors() {
    const option = $('duo-device').selectedOptions[0];
    const can = (option ? option.dataset.capabilities : '').split(' ');
    $('duo-push').hidden = !(step.duo.factors.includes('push') && can.includes('push'));
    $('duo-phone').hidden = !(step.duo.factors.includes('phone') && can.includes('phone'));
    $('duo-sms').hidden = !(step.duo.factors.includes('sms') && can.includes('sms'));
  }

  function renderActivation(duo) {
    const activation = duo.activation;
    $('duo-activation').hidden = !activation;
    // Duo's portal is the fallback when Duo cannot make an activation code for this user.
    $('duo-portal').hidden = Boolean(activation) || !duo.enrollPortalUrl;
    if (duo.enrollPortalUrl) $('duo-portal-link').href = duo.enrollPortalUrl;
    if (!activation) return;
    // The QR image lives on Duo's API host: the page's Content-Security-Policy must allow it in img-src.
    $('duo-qr').src = activation.qrCodeUrl;
    $('duo-activation-link').href = activation.activationUrl;
    $('duo-activation-code').textContent = activation.activationCode;
    $('duo-activation-expiry').textContent = new Date(activation.expiresAt).toLocaleTimeString();
  }

  const deviceParam = () => ($('duo-device').value ? { device: $('duo-device').value } : {});

  /** Why: Duo makes an activation code and QR image for this user; the phone scans it to install the account. */
  async function startActivation() {
    const ticket = generation;
    try {
      const answer = await stepCall('enroll');
      if (ticket !== generation) return;
      renderDuoOptions(answer.data.duo);
      if (answer.data.message) status(answer.data.message);
      if (answer.data.duo.activation) {
        status('Waiting for Duo Mobile to be activated…');
        follow(ticket);
      }
    } catch (error) {
      if (ticket === generation) stepFailed(error);
    }
  }

  /** Why: a push (or call) only starts; Duo's answer arrives through /step/status. */
  async function startOutOfBand(factor) {
    complain('');
    try {
      const answer = await stepCall(factor, deviceParam());
      const { verificationCode } = answer.data;
      // Verified Push: the user types this code into Duo Mobile, proving they can see this screen.
      $('duo-code').hidden = !verificationCode;
      $('duo-code-value').textContent = verificationCode || '';
      status(describe(answer.data));
      generation += 1; // a new push replaces any earlier long-poll
      follow(generation);
    } catch (error) {
      stepFailed(error);
    }
  }

  /** Why: Duo texts a batch of passcodes; the user types one in the passcode field. */
  async function sendSms() {
    try {
      const answer = await stepCall('sms', deviceParam());
      status(answer.data.message || 'Passcodes sent by text message. Type one below.');
      $('duo-passcode').focus();
    } catch (error) {
      stepFailed(error);
    }
  }

  /** Why: a passcode (Duo Mobile, SMS, hardware token, bypass code) is checked at once: final or an error. */
  async function submitPasscode() {
    const passcode = $('duo-passcode').value.trim();
    try {
      const answer = await stepCall('passcode', { passcode });
      finishStep(answer);
    } catch (error) {
      $('duo-passcode').value = '';
      stepFailed(error);
    }
  }

  async function cancelStep() {
    // Why: the server closes the step at once instead of letting it live until it expires.
    await stepCall('cancel').catch(() => undefined);
    endStep(step && step.purpose === 'login' ? 'Sign-in cancelled.' : 'Nothing was changed.');
  }

  /**
   * Long-polls /step/status: the server holds each request up to ~25 s and answers when Duo's state changes.
   * While a Duo Mobile activation is pending it answers at once, so wait a little between those calls.
   */
  async function follow(ticket) {
    while (step && ticket === generation) {
      const asked = Date.now();
      let answer;
      try {
        answer = await stepCall('status', { wait: true });
      } catch (error) {
        if (ticket === generation) stepFailed(error);
        return;
      }
      if (ticket !== generation) return;
      if (isFinal(answer)) return finishStep(answer);

      const state = answer.data;
      if (state.state === 'denied') return endStep(deniedMessage(state), true);
      if (state.state === 'pending' && typeof state.promptsLeft === 'number') {
        // Why: Duo denied the push or call but the step is still open: another push, a call or a passcode finishes
        // it, without the password again. The buttons stay; the long-poll stops until the next push or call.
        $('duo-code').hidden = true;
        status('');
        return complain(retryMessage(state));
      }
      if (state.state === 'enrolling') {
        if (state.duo) renderDuoOptions(state.duo);
        if (!state.duo || !state.duo.activation) {
          // No live activation any more (expired, or Duo wants its portal): nothing to wait for.
          return status(state.message || "Add a device in Duo's enrolment portal, then start again.");
        }
        await sleep(2000);
        continue;
      }
      if (state.state === 'pending' && state.duo) {
        // Duo Mobile was just activated: the step is now an ordinary Duo check. One approval finishes it.
        renderDuoOptions(state.duo);
        return status(state.message || 'Duo Mobile is activated. Approve one request to finish.');
      }
      // 'waiting' (a push or call in progress, or the 25 s hold ran out) or 'pending' after Duo failed open:
      // show the state and ask again (not in a tight loop if the server answered at once).
      status(describe(state));
      if (Date.now() - asked < 1000) await sleep(1000);
    }
  }

  function isFinal(answer) {
    return Boolean(answer && (answer.jwt || (answer.data && typeof answer.data.enabled === 'boolean')));
  }

  function finishStep(answer) {
    const purpose = step.purpose;
    step = null;
    generation += 1;
    if (answer.jwt) return signIn(answer);
    if (answer.data.enabled) {
      // Turning Duo on ends every session without the Duo claim, this one included; the answer carries a token
      // that has it, so keep using that one.
      if (answer.data.jwt) {
        signIn({ jwt: answer.data.jwt, user: session.user });
        return say('Two-factor authentication is on: Duo will protect your next sign-ins.');
      }
      return signOut('Two-factor authentication is on. Sign in again, this time with Duo.');
    }
    showAccount();
    say(purpose === 'disable' ? 'Two-factor authentication is off.' : '');
  }

  /** The error name decides: retry in place, or the step is over. */
  function stepFailed(error) {
    switch (error.name) {
      case 'DuoPasscodeError':
        // details.attemptsLeft: 0 means the step is dead (too many attempts).
        if (error.details.attemptsLeft > 0) return complain(error.message);
        return endStep(error.message, true);
      case 'DuoStepError': // expired, used, cancelled or refused: start over
      case 'DuoDeniedError':
        return endStep(again(error.message), true);
      case 'UnauthorizedError': // Security Settings: our token is no longer valid
        return signOut('Your session has ended. Sign in again.');
      default:
        // DuoFactorError (that device cannot do this), DuoUnavailableError, ValidationError: try something else.
        return complain(error.message);
    }
  }

  function again(message) {
    if (!step || step.purpose === 'login') return message;
    return message.replace(/; sign in again$/, '; try again');
  }

  const DUO_STATUS = {
    pushed: 'Duo Push sent. Approve it on your phone.',
    calling: 'Calling your phone…',
    answered: 'Call answered. Follow the instructions on the call.',
    sent: 'Passcodes sent by text message.',
  };

  function describe(state) {
    return DUO_STATUS[state.duoStatus] || state.message || 'Waiting for Duo…';
  }

  function whyDenied(state) {
    if (state.duoStatus === 'timeout') return 'The Duo request timed out: nobody answered it.';
    const message = state.message || 'Duo refused the request.';
    return /[.!?]$/.test(message) ? message : `${message}.`;
  }

  function retryMessage(state) {
    const left = state.promptsLeft === 1 ? 'one more push or call' : `${state.promptsLeft} more pushes or calls`;
    const then = state.promptsLeft > 0 ? `Try again (${left} left) or enter a passcode.` : 'Enter a passcode.';
    return `${whyDenied(state)} ${then}`;
  }

  function deniedMessage(state) {
    const then = step && step.purpose !== 'login' ? 'Try again.' : 'Sign in again to retry.';
    if (state.duoStatus === 'fraud') return `You reported the request as fraudulent, so it was refused. ${then}`;
    // promptsLeft 0: the last push or call this step allows was denied (the server's message says so too).
    if (state.promptsLeft === 0) {
      const why = state.duoStatus === 'timeout' ? 'The Duo request timed out.' : 'The Duo request was denied.';
      return `${why} That was the last push or call this step allows. ${then}`;
    }
    return `${whyDenied(state)} ${then}`;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Duo's Universal Prompt: the tab goes to Duo's page and comes back here (see universal.js)
  // ---------------------------------------------------------------------------------------------------------

  function goToDuo(purpose, details) {
    say('Taking you to Duo…');
    const refused = window.duoUniversal.leaveForDuo(purpose, details);
    if (refused) complain(refused);
  }

  /** Back from Duo: the completion code and the kept step id give the final answer, once. */
  async function returnFromDuo(back) {
    if (session) showAccount();
    else showSignedOut();
    step = { purpose: back.purpose };
    if (back.error) {
      step = null;
      // Duo's words arrive in the URL: text only, never markup.
      return complain(back.description);
    }
    try {
      finishStep(await call('/duo-security/step/complete', { body: { step: back.step, completion: back.completion } }));
    } catch (error) {
      stepFailed(error);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Signed in: account and Security Settings → Two-Factor Authentication
  // ---------------------------------------------------------------------------------------------------------

  function showSignedOut() {
    show('signed-out');
  }

  function showAccount() {
    show('signed-in');
    $('account-name').textContent = session.user.username;
    $('account-email').textContent = session.user.email;
    loadSecurity();
  }

  /** Why: the server, not the page, knows whether Duo is offered, on, or required for this account. */
  async function loadSecurity() {
    $('tfa-enable').hidden = true;
    $('tfa-disable').hidden = true;
    let me;
    try {
      me = (await call('/duo-security/me', { token: session.jwt })).data;
    } catch (error) {
      if (error.status === 401) return signOut('Your session has ended. Sign in again.');
      $('tfa-status').textContent = 'Status unavailable.';
      return complain(error.message);
    }
    if (!me.available) {
      $('tfa-status').textContent = 'Not offered on this site.';
      $('tfa-help').textContent = '';
      return;
    }
    const lastUsed = me.lastUsedAt ? ` Last used ${new Date(me.lastUsedAt).toLocaleString()}.` : '';
    $('tfa-status').textContent = me.enabled ? `On: Duo protects your sign-ins.${lastUsed}` : 'Off';
    $('tfa-help').textContent = me.enabled
      ? me.required
        ? 'This site requires two-factor authentication for every account.'
        : 'Turning it off asks for a Duo verification first.'
      : 'Protect your account with Duo Mobile: a push, a call, or a passcode after your password.';
    $('tfa-enable').hidden = me.enabled;
    $('tfa-disable').hidden = !me.enabled || me.required;
  }

  /**
   * Why: enable and disable both open a Duo step with the client's JWT. The answer is a step to drive exactly like
   * a login's, or { enabled } at once when Duo lets this user through without a check (a bypass user).
   */
  async function changeTwoFactor(purpose) {
    say('');
    try {
      const answer = await call(`/duo-security/me/${purpose}`, { method: 'POST', token: session.jwt });
      if (answer.data.step) return startStep(purpose, answer.data);
      step = { purpose };
      finishStep(answer);
    } catch (error) {
      if (error.status === 401) return signOut('Your session has ended. Sign in again.');
      complain(error.message);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Wiring
  // ---------------------------------------------------------------------------------------------------------

  function formValues(form) {
    return Object.fromEntries(new window.FormData(form).entries());
  }

  function onSubmit(id, work) {
    const form = $(id);
    form.addEventListener(
      'submit',
      busy(form.querySelector('button[type="submit"]'), () => work(form)),
    );
  }

  function onClick(id, work) {
    $(id).addEventListener('click', busy($(id), work));
  }

  onSubmit('register-form', (form) => passwordStep('/auth/local/register', formValues(form)));
  onSubmit('signin-form', async (form) => {
    await passwordStep('/auth/local', formValues(form));
    $('signin-password').value = '';
  });
  onSubmit('duo-passcode-form', submitPasscode);
  onClick('duo-push', () => startOutOfBand('push'));
  onClick('duo-phone', () => startOutOfBand('phone'));
  onClick('duo-sms', sendSms);
  onClick('duo-cancel', cancelStep);
  onClick('signout', () => signOut());
  onClick('tfa-enable', () => changeTwoFactor('enable'));
  onClick('tfa-disable', () => changeTwoFactor('disable'));
  $('duo-device').addEventListener('change', renderFactors);

  const back = window.duoUniversal.takeReturn();
  if (back) returnFromDuo(back);
  else if (session) showAccount();
  else showSignedOut();
})();
