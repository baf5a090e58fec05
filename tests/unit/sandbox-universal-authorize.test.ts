import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import {
  REDIRECT,
  authorizeUrl,
  callbackParams,
  jwt,
  nowSec,
  open,
  requestClaims,
  type Claims,
  type WireClient,
} from '../helpers/universal-wire';

/*
 * GET /oauth/v1/authorize and the prompt page: the signed request object checked field by field (a bad one gets an
 * error page, never a redirect), the page's framing and CSRF defences, and where each decision sends the browser.
 */

let sandbox: DuoSandbox;
let client: WireClient;

before(async () => {
  sandbox = await startDuoSandbox({ users: [{ username: 'alice' }, { username: 'dora', status: 'disabled' }] });
  client = { base: sandbox.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
});

after(() => sandbox.close());

beforeEach(() => {
  sandbox.clearFaults();
  sandbox.setOAuthSwitches({ denyRedirect: false });
});

const signed = (patch: Claims = {}, username = 'alice'): string =>
  jwt(requestClaims(client, username, patch), client.clientSecret);

async function errorPage(url: string, message: RegExp): Promise<void> {
  const page = await open(url);
  assert.equal(page.status, 400);
  assert.equal(page.location, null, 'an untrusted request is never redirected');
  assert.match(page.html, /data-testid="prompt-error"/);
  assert.match(page.html, message);
}

/** The page's hidden fields, read the way a browser would submit them. */
function formOf(html: string): { prompt: string; csrf: string } {
  const field = (name: string): string => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
  return { prompt: field('prompt'), csrf: field('csrf') };
}

async function submit(
  form: Record<string, string>,
): Promise<{ status: number; location: string | null; html: string }> {
  const res = await fetch(`${sandbox.url}/oauth/v1/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

describe('sandbox universal: invalid authorize requests get an error page', () => {
  const cases: [string, () => string, RegExp][] = [
    ['alg none', () => authorizeUrl(client, jwt(requestClaims(client, 'alice'), client.clientSecret, 'none')), /HS512/],
    [
      'alg HS256',
      () => authorizeUrl(client, jwt(requestClaims(client, 'alice'), client.clientSecret, 'HS256')),
      /HS512/,
    ],
    ['a bad signature', () => authorizeUrl(client, jwt(requestClaims(client, 'alice'), 'x'.repeat(40))), /signature/],
    [
      'no request',
      () => `${sandbox.url}/oauth/v1/authorize?response_type=code&client_id=${client.clientId}`,
      /missing/,
    ],
    ['response_type token', () => authorizeUrl(client, signed(), { response_type: 'token' }), /response_type/],
    ['an unknown client_id', () => authorizeUrl({ ...client, clientId: 'DIUNKNOWN00000000000' }, signed()), /Unknown/],
    [
      'a client_id other than the JWT’s',
      () => authorizeUrl(client, signed({ client_id: 'DIOTHER0000000000000' })),
      /client_id/,
    ],
    ['an expired JWT', () => authorizeUrl(client, signed({ exp: nowSec() - 1 })), /expired/],
    ['no exp', () => authorizeUrl(client, signed({ exp: undefined })), /exp/],
    ['a scope other than openid', () => authorizeUrl(client, signed({ scope: 'email' })), /scope/],
    ['a wrong aud', () => authorizeUrl(client, signed({ aud: 'https://api-elsewhere.duosecurity.com' })), /aud/],
    ['a wrong iss', () => authorizeUrl(client, signed({ iss: 'someone' })), /iss/],
    ['a relative redirect_uri', () => authorizeUrl(client, signed({ redirect_uri: '/callback' })), /absolute/],
    [
      'a redirect_uri with a fragment',
      () => authorizeUrl(client, signed({ redirect_uri: `${REDIRECT}#x` })),
      /fragment/,
    ],
    [
      'a query redirect_uri unlike the signed one',
      () => authorizeUrl(client, signed(), { redirect_uri: 'https://evil.example/' }),
      /differs/,
    ],
    ['a state of 15 characters', () => authorizeUrl(client, signed({ state: 'a'.repeat(15) })), /state/],
    ['no duo_uname', () => authorizeUrl(client, signed({ duo_uname: '' })), /duo_uname/],
    ['a nonce of 15 characters', () => authorizeUrl(client, signed(), { nonce: 'n'.repeat(15) }), /nonce/],
  ];
  for (const [name, url, message] of cases) it(name, () => errorPage(url(), message));

  it('an Auth API client', async () => {
    const other = sandbox.addOAuthClient({ type: 'auth' });
    const otherClient = { ...client, clientId: other.clientId, clientSecret: other.clientSecret };
    await errorPage(
      authorizeUrl(otherClient, jwt(requestClaims(otherClient, 'alice'), other.clientSecret)),
      /Unauthorized OIDC/,
    );
  });
});

describe('sandbox universal: the prompt page', () => {
  it('cannot be framed and carries a per-page CSRF token', async () => {
    const first = await open(authorizeUrl(client, signed()));
    const second = await open(authorizeUrl(client, signed()));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-frame-options'), 'DENY');
    assert.match(first.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.match(first.html, /data-testid="prompt-user">alice</);
    const hostile = await open(authorizeUrl(client, signed({ dest_app_name: '<img src=x onerror=alert(1)>' })));
    assert.match(hostile.html, /Log in to &#60;img src=x onerror=alert\(1\)&#62;/);
    assert.doesNotMatch(hostile.html, /<img/);
    const [a, b] = [formOf(first.html), formOf(second.html)];
    assert.ok(a.csrf.length >= 20 && a.prompt !== '');
    assert.notEqual(a.csrf, b.csrf);
  });

  it('refuses a decision without the page’s own token, then accepts the right one once', async () => {
    const page = await open(authorizeUrl(client, signed({ state: 's'.repeat(30) })));
    const { prompt, csrf } = formOf(page.html);
    const other = formOf((await open(authorizeUrl(client, signed()))).html);
    for (const bad of ['', other.csrf, `${csrf}x`]) {
      const res = await submit({ prompt, csrf: bad, decision: 'approve' });
      assert.equal(res.status, 400);
      assert.equal(res.location, null);
    }
    const ok = await submit({ prompt, csrf, decision: 'approve' });
    assert.equal(ok.status, 303);
    const back = new URL(ok.location ?? '');
    assert.equal(`${back.origin}${back.pathname}`, 'https://app.example/duo/callback');
    assert.ok(ok.location?.startsWith(`${REDIRECT}&duo_code=`), 'the client’s own query is kept byte for byte');
    assert.equal(back.searchParams.get('state'), 's'.repeat(30));
    assert.match(back.searchParams.get('duo_code') ?? '', /^[0-9a-f]{48}$/);
    assert.equal((await submit({ prompt, csrf, decision: 'approve' })).status, 400, 'a prompt is decided once');
  });

  it('shows a denied page on Deny, or redirects with access_denied when switched to', async () => {
    const page = formOf((await open(authorizeUrl(client, signed()))).html);
    const denied = await submit({ ...page, decision: 'deny' });
    assert.equal(denied.status, 200);
    assert.equal(denied.location, null);
    assert.match(denied.html, /prompt-denied/);

    sandbox.setOAuthSwitches({ denyRedirect: true });
    const state = 'd'.repeat(22);
    const page2 = formOf((await open(authorizeUrl(client, signed({ state })))).html);
    const params = callbackParams((await submit({ ...page2, decision: 'deny' })).location ?? '');
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('state'), state);
    assert.equal(params.get('duo_code'), null);
  });

  it('offers enrolment to an unknown user, which creates the user and approves', async () => {
    const page = await open(authorizeUrl(client, signed({}, 'newbie')));
    assert.match(page.html, /prompt-enroll/);
    assert.doesNotMatch(page.html, /prompt-approve/);
    const res = await submit({ ...formOf(page.html), decision: 'enroll' });
    assert.equal(res.status, 303);
    assert.ok(sandbox.user('newbie'), 'enrolment created the user');
  });

  it('denies a disabled user without a page', async () => {
    const res = await open(authorizeUrl(client, signed({}, 'dora')));
    assert.match(res.html, /prompt-denied/);
    assert.equal(res.location, null);
  });

  it('sends `code` when use_duo_code_attribute is false or absent', async () => {
    for (const flag of [false, undefined]) {
      sandbox.presetPrompt('alice', 'approve');
      const res = await open(authorizeUrl(client, signed({ use_duo_code_attribute: flag })));
      assert.equal(res.status, 302);
      const params = callbackParams(res.location ?? '');
      assert.ok(params.get('code'));
      assert.equal(params.get('duo_code'), null);
    }
  });

  it('meets a fault only when it names the authorize path', async () => {
    sandbox.setFault({ kind: 'status', status: 503 });
    assert.equal((await open(authorizeUrl(client, signed()))).status, 200);
    sandbox.clearFaults();
    sandbox.setFault({ kind: 'status', status: 502, body: 'html', path: '/oauth/v1/authorize', times: 1 });
    assert.equal((await open(authorizeUrl(client, signed()))).status, 502);
  });
});

describe('sandbox universal: control API for prompts', () => {
  it('presets approve, deny and error for a user’s next prompt (302 without a page)', async () => {
    sandbox.presetPrompt('alice', 'approve');
    const approved = await open(authorizeUrl(client, signed()));
    assert.equal(approved.status, 302);
    assert.ok(callbackParams(approved.location ?? '').get('duo_code'));

    sandbox.setOAuthSwitches({ denyRedirect: true });
    sandbox.presetPrompt('alice', 'deny');
    assert.equal(
      callbackParams((await open(authorizeUrl(client, signed()))).location ?? '').get('error'),
      'access_denied',
    );
    sandbox.presetPrompt('alice', 'error');
    assert.equal(
      callbackParams((await open(authorizeUrl(client, signed()))).location ?? '').get('error'),
      'server_error',
    );
    assert.equal((await open(authorizeUrl(client, signed()))).status, 200, 'a preset is used once');
  });

  it('lists waiting prompts and decides them over HTTP, returning the redirect URL', async () => {
    const state = 'h'.repeat(40);
    await open(authorizeUrl(client, signed({ state, dest_app_name: 'Strapi <admin>' })));
    const listed = (await (await fetch(`${sandbox.url}/sandbox/oauth/prompts`)).json()) as {
      prompts: { id: string; state: string; appName: string; username: string }[];
    };
    const prompt = listed.prompts.find((p) => p.state === state);
    assert.ok(prompt);
    assert.equal(prompt.appName, 'Strapi <admin>');
    const res = await fetch(`${sandbox.url}/sandbox/oauth/prompts/${prompt.id}/approve`, { method: 'POST' });
    const result = (await res.json()) as { kind: string; location: string };
    assert.equal(result.kind, 'redirect');
    assert.equal(callbackParams(result.location).get('state'), state);
    const again = await fetch(`${sandbox.url}/sandbox/oauth/prompts/${prompt.id}/approve`, { method: 'POST' });
    assert.equal(again.status, 404);
  });

  it('adds and retypes clients, presets prompts and flips switches over HTTP, refusing unknown fields', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sandbox.url}/sandbox/oauth/${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const added = await call('POST', 'clients', {});
    assert.equal(added.status, 201);
    assert.equal(String(added.json['clientId']).length, 20);
    assert.equal(
      (await call('PATCH', `clients/${String(added.json['clientId'])}`, { type: 'auth' })).json['type'],
      'auth',
    );
    assert.equal((await call('POST', 'clients', { clientId: 'short' })).status, 400);
    assert.equal((await call('POST', 'clients', { colour: 'red' })).status, 400);

    assert.equal((await call('POST', 'users/alice/next-prompt', { outcome: 'approve' })).status, 200);
    assert.equal((await open(authorizeUrl(client, signed()))).status, 302);
    assert.equal((await call('POST', 'users/alice/next-prompt', { outcome: 'maybe' })).status, 400);

    assert.deepEqual((await call('POST', 'switches', { denyRedirect: true })).json, {
      healthCheckErrors: 'duo',
      denyRedirect: true,
    });
    assert.equal((await call('GET', 'switches')).json['denyRedirect'], true);
    assert.equal((await call('POST', 'switches', { denyRedirect: 'yes' })).status, 400);
  });
});
