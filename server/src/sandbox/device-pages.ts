import type { IncomingMessage, ServerResponse } from 'node:http';

import { SandboxControlError } from './errors';
import { escapeHtml, send } from './http';
import { activationSvg } from './images';
import type { SandboxState } from './state';

/** Pages a phone or a browser would open from links the Auth API hands out (QR image, activation, portal). */

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:40px auto;padding:0 16px;color:#1f2933}button{font:inherit;padding:8px 16px}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}<p><small>Duo sandbox: a fake Duo for development and tests.</small></p></body></html>`;
}

function complete(state: SandboxState, key: string, res: ServerResponse, what: string): void {
  try {
    const user = state.completeActivation(key);
    send(
      res,
      200,
      page(
        `${what} complete`,
        `<p data-testid="activation-complete">${escapeHtml(user.username)} now has a device in Duo.</p>`,
      ),
      'text/html',
    );
  } catch (error) {
    if (!(error instanceof SandboxControlError)) throw error;
    send(res, 404, page('Link expired', '<p>This link is invalid, already used or expired.</p>'), 'text/html');
  }
}

/** Returns false when the path is none of these pages. */
export function handleDevicePage(
  req: IncomingMessage,
  res: ServerResponse,
  state: SandboxState,
  path: string,
  query: string,
): boolean {
  if (path === '/frame/qr' && req.method === 'GET') {
    const value = new URLSearchParams(query).get('value') ?? '';
    send(res, 200, activationSvg(value), 'image/svg+xml');
    return true;
  }
  const activate = /^\/activate\/([^/]+)$/.exec(path);
  if (activate?.[1] && req.method === 'GET') {
    // Opening the activation link on a phone with Duo Mobile is what activates it.
    complete(state, decodeURIComponent(activate[1]), res, 'Duo Mobile activation');
    return true;
  }
  if (path === '/portal') {
    const token = query.split('&')[0] ?? '';
    if (req.method === 'POST') {
      req.resume();
      complete(state, token, res, 'Enrollment');
      return true;
    }
    if (req.method === 'GET') {
      const pending = state.pendingActivations().find((a) => a.kind === 'portal' && a.code === token);
      const body = pending
        ? `<p>Add a phone for <strong data-testid="portal-username">${escapeHtml(pending.username)}</strong> to finish enrolling.</p>
<form method="post" action="/portal?${escapeHtml(token)}"><button type="submit" data-testid="portal-enroll">Add this phone</button></form>`
        : '<p>This enrollment link is invalid, already used or expired.</p>';
      send(res, pending ? 200 : 404, page('Duo enrollment', body), 'text/html');
      return true;
    }
  }
  return false;
}
