/**
 * The admin Duo step page: static markup, no inline script or style (the Content-Security-Policy allows neither).
 * Its behaviour is public/app.mjs; the only values put in here are paths known to the server, HTML-escaped.
 * The words are English (what a browser without JavaScript shows); `data-i18n` and `data-i18n-<attribute>` name
 * their keys in public/messages-*.mjs, and app.mjs puts them in the administrator's language at start.
 */

export interface StepPageOptions {
  /** Where the page's files are served, e.g. `/duo-security/login`. */
  readonly assetBase: string;
  /** The admin panel's path, e.g. `/admin`: where "Back to sign-in" and the final redirect go. */
  readonly adminPath: string;
  /** The Strapi major: where its admin app looks for the session differs (see public/session.mjs). */
  readonly strapiMajor: 4 | 5;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export function renderStepPage({ assetBase, adminPath, strapiMajor }: StepPageOptions): string {
  const base = escapeHtml(assetBase);
  const admin = escapeHtml(adminPath);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex, nofollow" />
    <meta name="referrer" content="no-referrer" />
    <title>Two-factor authentication</title>
    <link rel="stylesheet" href="${base}/style.css" />
    <script type="module" src="${base}/app.mjs"></script>
  </head>
  <body data-admin-path="${admin}" data-strapi-major="${strapiMajor}">
    <div class="page">
      <main class="card" aria-labelledby="duo-title">
        <div class="head">
          <img id="duo-logo" class="logo" src="${base}/logo.svg" alt="" aria-hidden="true" />
          <h1 id="duo-title" data-i18n="page.title">Two-factor authentication</h1>
          <p id="duo-intro" class="subtitle" data-i18n="page.intro">Your password is correct. Finish signing in with Duo.</p>
        </div>
        <noscript><p class="alert danger">This page needs JavaScript to talk to Duo.</p></noscript>
        <p id="duo-problem" class="alert danger" role="alert"></p>
        <p id="duo-status" class="alert" role="status" aria-live="polite"></p>
        <p id="duo-code" class="code" hidden>
          <span data-i18n="page.code">Type this code in Duo Mobile</span>
          <strong id="duo-code-value" aria-label="Verified Push code" data-i18n-aria-label="page.code.label"></strong>
        </p>

        <section id="duo-enroll" aria-labelledby="duo-enroll-title" hidden>
          <h2 id="duo-enroll-title" data-i18n="enroll.title">Set up Duo Mobile</h2>
          <ol>
            <li data-i18n="enroll.install">Install the free Duo Mobile app on your phone.</li>
            <li data-i18n="enroll.scan">In Duo Mobile, add an account and scan this QR code, or open the activation link on your phone.</li>
          </ol>
          <div id="duo-activation" class="qr" hidden>
            <img
              id="duo-qr"
              alt="QR code to activate Duo Mobile"
              data-i18n-alt="enroll.qr"
              width="200"
              height="200"
            />
            <a id="duo-activation-link" target="_blank" rel="noopener noreferrer" data-i18n="enroll.link">Activate Duo Mobile on this phone</a>
            <span><span data-i18n="enroll.code">Activation code:</span> <code id="duo-activation-code"></code></span>
          </div>
          <p id="duo-portal" hidden>
            <a id="duo-portal-link" target="_blank" rel="noopener noreferrer" data-i18n="enroll.portal">Open Duo's enrolment portal</a>
          </p>
        </section>

        <section id="duo-verify" class="stack" aria-label="Verify with Duo" data-i18n-aria-label="verify.label" hidden>
          <div id="duo-device-field">
            <label for="duo-device" data-i18n="verify.device">Device</label>
            <select id="duo-device"></select>
          </div>
          <button type="button" id="duo-push" class="button full" data-i18n="verify.push">Send Duo Push</button>
          <div id="duo-other-ways" class="row">
            <button type="button" id="duo-phone" class="button secondary" data-i18n="verify.phone">Call me</button>
            <button type="button" id="duo-sms" class="button secondary" data-i18n="verify.sms">Text me passcodes</button>
          </div>
          <div id="duo-passcode-title" class="divider" data-i18n="verify.orPasscode">Or enter a passcode</div>
          <form id="duo-passcode-form" novalidate>
            <label for="duo-passcode" data-i18n="verify.passcode">Passcode</label>
            <div class="inline">
              <input
                id="duo-passcode"
                name="passcode"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="16"
                aria-describedby="duo-passcode-hint"
              />
              <button type="submit" class="button secondary" data-i18n="verify.submit">Verify</button>
            </div>
            <p id="duo-passcode-hint" class="hint" data-i18n="verify.hint">From Duo Mobile, a text message, a hardware token or a bypass code.</p>
          </form>
        </section>
        <section id="duo-grace" hidden>
          <p id="duo-grace-text"></p>
          <button id="duo-postpone" type="button" class="button secondary" data-i18n="grace.postpone">Set up Duo later</button>
        </section>
        <p id="duo-universal-go-row" hidden>
          <button id="duo-universal-go" type="button" class="button" data-i18n="universal.continue">Continue to Duo</button>
        </p>
        <details id="duo-backup">
          <summary data-i18n="backup.open">Lost your phone? Use a backup code</summary>
          <form id="duo-backup-form" novalidate>
            <label for="duo-backup-code" data-i18n="backup.label">Backup code</label>
            <div class="inline">
              <input id="duo-backup-code" name="code" autocomplete="off" spellcheck="false" maxlength="40" />
              <button type="submit" class="button secondary" data-i18n="backup.submit">Sign in</button>
            </div>
          </form>
        </details>
        <section id="duo-first-codes" class="stack" aria-labelledby="duo-first-codes-title" hidden>
          <h2 id="duo-first-codes-title" data-i18n="codes.title">Your backup codes</h2>
          <p data-i18n="codes.intro">Each code signs you in once when your phone is lost or Duo cannot be reached. Save them now: they are not shown again.</p>
          <ol id="duo-first-codes-list" class="codes" aria-labelledby="duo-first-codes-title"></ol>
          <div class="inline">
            <button type="button" id="duo-codes-copy" class="button secondary" data-i18n="codes.copy">Copy</button>
            <a id="duo-codes-download" download="duo-backup-codes.txt" data-i18n="codes.download">Download as text</a>
          </div>
          <button type="button" id="duo-codes-continue" class="button full" data-i18n="codes.continue">I saved them, continue</button>
        </section>
        <p id="duo-expiry" class="muted"></p>
      </main>
      <p class="back"><a id="duo-back" href="${admin}/auth/login" data-i18n="page.back">Back to sign-in</a></p>
    </div>
  </body>
</html>
`;
}
