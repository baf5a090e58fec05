import { escapeHtml } from '../http';

/** Duo's prompt may not be framed (§6.2); the pages load nothing from outside and run no script. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export interface PromptView {
  readonly id: string;
  readonly csrf: string;
  readonly username: string;
  readonly appName?: string;
  /** The user is not enrolled: the page offers enrolment instead of approval. */
  readonly enrol: boolean;
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #eef2f0; color: #1f2933; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  main { background: #fff; border-radius: 12px; padding: 24px 32px; box-shadow: 0 1px 3px #0002; max-width: 420px; }
  h1 { font-size: 1.3rem; margin-top: 0; }
  button { font: inherit; padding: 8px 18px; margin: 8px 8px 0 0; border-radius: 6px; border: 1px solid #9aa5b1; background: #fff; cursor: pointer; }
  button.approve { background: #2f8f2f; border-color: #2f8f2f; color: #fff; }
  button.deny { background: #c62828; border-color: #c62828; color: #fff; }
  .muted { color: #7b8794; font-size: .85rem; }
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

function button(decision: string, label: string, className: string): string {
  return `<button type="submit" name="decision" value="${decision}" class="${className}" data-testid="prompt-${decision}">${label}</button>`;
}

export function promptPage(view: PromptView): string {
  const app = view.appName ? ` to ${escapeHtml(view.appName)}` : '';
  const buttons = view.enrol
    ? `<p>This user is not enrolled in Duo yet.</p>${button('enroll', 'Enrol and continue', 'approve')}${button('deny', 'Cancel', 'deny')}`
    : `${button('approve', 'Approve (Duo Push)', 'approve')}${button('deny', 'Deny', 'deny')}`;
  return page(
    'Duo sandbox: verify it is you',
    `<h1>Log in${app}</h1>
<p>Duo user <strong data-testid="prompt-user">${escapeHtml(view.username)}</strong></p>
<form method="post" action="/oauth/v1/authorize">
<input type="hidden" name="prompt" value="${escapeHtml(view.id)}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
${buttons}
</form>
<p class="muted">Duo sandbox: a test double, not Duo.</p>`,
  );
}

export function deniedPage(): string {
  return page(
    'Duo sandbox: access denied',
    '<h1 data-testid="prompt-denied">Access denied</h1><p>The login was not approved. Close this page and try again.</p>',
  );
}

export function errorPage(message: string): string {
  return page(
    'Duo sandbox: invalid request',
    `<h1 data-testid="prompt-error">Invalid request</h1><p>${escapeHtml(message)}</p>`,
  );
}
