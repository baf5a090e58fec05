/**
 * The "virtual phone": one self-contained page (no external assets) that plays Duo Mobile, the SMS inbox and
 * the phone for every sandbox user. It polls `/sandbox/state` and acts through the control API, so a browser
 * test drives it with role queries and the `data-testid`s below.
 */

const STYLE = `
  :root { font-family: system-ui, sans-serif; color: #1f2933; background: #eef2f0; }
  body { margin: 0 auto; max-width: 860px; padding: 16px; }
  header h1 { margin: 0 0 4px; font-size: 1.4rem; }
  header p { margin: 0 0 16px; color: #52606d; }
  section.user { background: #fff; border-radius: 12px; padding: 12px 16px; margin-bottom: 16px; box-shadow: 0 1px 3px #0002; }
  section.user h2 { margin: 0 0 8px; font-size: 1.1rem; }
  .status { font-size: .8rem; padding: 2px 8px; border-radius: 8px; background: #e4f7dc; margin-left: 8px; }
  .status.blocked { background: #fde2e1; }
  h3 { font-size: .9rem; margin: 12px 0 4px; color: #52606d; }
  article { border: 1px solid #d9e2ec; border-radius: 8px; padding: 8px 12px; margin: 6px 0; }
  article.push { border-color: #6bbf4e; background: #f4fbf1; }
  button { font: inherit; padding: 6px 14px; margin: 6px 6px 0 0; border-radius: 6px; border: 1px solid #9aa5b1; background: #fff; cursor: pointer; }
  button.approve { background: #2f8f2f; border-color: #2f8f2f; color: #fff; }
  button.deny { background: #c62828; border-color: #c62828; color: #fff; }
  code.passcode { font-size: 1.3rem; letter-spacing: .15em; }
  .error { color: #c62828; }
  ul { margin: 4px 0; padding-left: 20px; }
  .muted { color: #7b8794; font-size: .85rem; }
`;

// Plain ES2017 for any browser; no template literals, so it sits safely inside this TypeScript string.
const SCRIPT = `
(function () {
  var app = document.getElementById('app');
  var clock = document.getElementById('clock');
  var lastKey = '';
  var codes = {};
  var errors = {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === 'text') node.textContent = attrs[name];
      else if (name === 'onclick') node.addEventListener('click', attrs[name]);
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function act(url, body, key) {
    delete errors[key];
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) errors[key] = data.error || res.statusText;
        });
      })
      .catch(function (err) { errors[key] = String(err); })
      .then(function () { refresh(true); });
  }

  function pushView(push) {
    var enc = encodeURIComponent(push.txid);
    var isCall = push.factor === 'phone';
    var lines = [
      el('strong', { text: isCall ? 'Incoming call (' + push.status + ')' : 'Login request' }),
      el('div', { 'class': 'muted', text: push.device_display_name + (push.ipaddr ? ' · from ' + push.ipaddr : '') +
        (push.hostname ? ' · ' + push.hostname : '') + (push.type ? ' · ' + push.type : '') +
        (push.display_username ? ' · as ' + push.display_username : '') })
    ];
    Object.keys(push.pushinfo || {}).forEach(function (k) {
      lines.push(el('div', { 'class': 'muted', text: k + ': ' + push.pushinfo[k] }));
    });
    var input = null;
    if (push.requiresVerificationCode) {
      input = el('input', { 'data-testid': 'verification-code', 'data-txid': push.txid, inputmode: 'numeric',
        autocomplete: 'off', id: 'code-' + push.txid });
      input.value = codes[push.txid] || '';
      input.addEventListener('input', function () { codes[push.txid] = input.value; });
      lines.push(el('label', { 'for': 'code-' + push.txid, text: 'Verification code shown on the login screen ' }));
      lines.push(input);
    }
    var approve = el('button', { type: 'button', 'class': 'approve', 'data-testid': isCall ? 'answer-call' : 'approve-push',
      text: isCall ? 'Answer' : 'Approve', onclick: function () {
        act('/sandbox/push/' + enc + '/approve', input ? { verificationCode: input.value } : {}, push.txid);
      } });
    var deny = el('button', { type: 'button', 'class': 'deny', 'data-testid': isCall ? 'decline-call' : 'deny-push',
      text: isCall ? 'Decline' : 'Deny', onclick: function () { act('/sandbox/push/' + enc + '/deny', {}, push.txid); } });
    // Duo Mobile's "deny, it was not me" and the call's fraud key: Duo answers the login with status fraud.
    var fraud = el('button', { type: 'button', 'class': 'deny', 'data-testid': 'report-fraud', text: 'Report fraud',
      onclick: function () { act('/sandbox/push/' + enc + '/deny', { fraud: true }, push.txid); } });
    lines.push(el('div', {}, [approve, deny, fraud]));
    if (errors[push.txid]) lines.push(el('p', { 'class': 'error', role: 'alert', 'data-testid': 'push-error', text: errors[push.txid] }));
    return el('article', { 'class': 'push', 'data-testid': isCall ? 'call' : 'push', 'data-txid': push.txid }, lines);
  }

  function activationView(activation) {
    var enc = encodeURIComponent(activation.code);
    var enroll = activation.kind === 'enroll';
    return el('article', { 'data-testid': 'activation', 'data-code': activation.code }, [
      el('div', { text: enroll ? 'Duo Mobile activation waiting: the QR code on the sign-in page'
        : 'Enrolment waiting: the enrolment portal link on the sign-in page' }),
      el('div', { 'class': 'muted', text: (enroll ? 'Activation code ' : 'Portal token ') + activation.code }),
      el('button', { type: 'button', 'data-testid': 'complete-activation', text: 'Complete activation', onclick: function () {
        act('/sandbox/activations/' + enc + '/complete', {}, activation.code);
      } }),
      errors[activation.code] ? el('p', { 'class': 'error', role: 'alert', text: errors[activation.code] }) : null
    ]);
  }

  function userView(name, user, state) {
    var blocked = user && user.status !== 'active';
    var heading = el('h2', { id: 'user-' + name, text: name }, [
      user ? el('span', { 'class': 'status' + (blocked ? ' blocked' : ''), 'data-testid': 'user-status', text: user.status }) : null
    ]);
    var parts = [heading];
    var pushes = state.pendingPushes.filter(function (p) { return p.username === name; });
    if (pushes.length) parts.push(el('h3', { text: 'Pending requests' }));
    pushes.forEach(function (p) { parts.push(pushView(p)); });
    var devices = user ? user.devices : [];
    if (devices.length) {
      parts.push(el('h3', { text: 'Devices and passcodes' }));
      parts.push(el('ul', {}, devices.map(function (d) {
        return el('li', { 'data-testid': 'device', 'data-device': d.device }, [
          el('span', { text: d.display_name + ' ' }),
          d.passcode ? el('code', { 'class': 'passcode', 'data-testid': 'passcode', 'data-device': d.device,
            'aria-label': 'Passcode for ' + d.display_name, text: d.passcode }) : null
        ]);
      })));
    }
    var sms = state.smsMessages.filter(function (m) { return m.username === name; }).reverse();
    if (sms.length) {
      parts.push(el('h3', { text: 'Text messages' }));
      parts.push(el('ul', {}, sms.map(function (m) {
        return el('li', { 'data-testid': 'sms', 'data-device': m.device, text: m.number + ': ' + m.text });
      })));
    }
    // One per user waiting to enrol (the server picks it: server/src/sandbox/phone-activations.ts).
    var activations = state.phoneActivations.filter(function (a) { return a.username === name; });
    if (activations.length) parts.push(el('h3', { text: 'Activation' }));
    activations.forEach(function (a) { parts.push(activationView(a)); });
    if (user && user.bypassCodes.length) {
      parts.push(el('p', { 'class': 'muted', 'data-testid': 'bypass-codes', text: 'Bypass codes: ' + user.bypassCodes.join(' ') }));
    }
    return el('section', { 'class': 'user', 'data-testid': 'user', 'data-username': name, 'aria-labelledby': 'user-' + name }, parts);
  }

  function render(state) {
    var focused = document.activeElement && document.activeElement.getAttribute('data-txid');
    var names = state.users.map(function (u) { return u.username; });
    state.phoneActivations.forEach(function (a) { if (names.indexOf(a.username) < 0) names.push(a.username); });
    var sections = names.map(function (name) {
      var user = state.users.filter(function (u) { return u.username === name; })[0];
      return userView(name, user, state);
    });
    app.replaceChildren.apply(app, sections.length ? sections : [el('p', { 'data-testid': 'empty', text: 'No users yet.' })]);
    if (focused) {
      var again = app.querySelector('input[data-txid="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  function refresh(force) {
    return fetch('/sandbox/state', { cache: 'no-store' })
      .then(function (res) { return res.json(); })
      .then(function (state) {
        clock.textContent = new Date(state.time * 1000).toISOString();
        var key = JSON.stringify([state.users, state.pendingPushes, state.smsMessages, state.phoneActivations, errors]);
        if (force || key !== lastKey) { lastKey = key; render(state); }
      })
      .catch(function () { clock.textContent = 'sandbox unreachable'; });
  }

  refresh(true);
  setInterval(refresh, 1000);
})();
`;

export function phonePage(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Duo sandbox: virtual phone</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Virtual phone</h1>
<p>Duo sandbox (a fake Duo for development and tests). Sandbox clock: <span id="clock" data-testid="sandbox-clock">…</span></p>
</header>
<main id="app" data-testid="phone"></main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
