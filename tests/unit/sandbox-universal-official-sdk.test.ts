import assert from 'node:assert/strict';
import { Agent, get } from 'node:https';
import { after, before, describe, it } from 'node:test';

import { Client, DuoException } from '@duosecurity/duo_universal';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { makeTestCertificates, type TestCertificates } from '../helpers/test-ca';

/*
 * Duo's official Node SDK (@duosecurity/duo_universal 3.0.0) against the sandbox, over HTTPS with a throw-away CA.
 *
 * The SDK has no documented way to trust another CA: its constructor builds `https.Agent({ ca: <Duo's pinned
 * roots> })` and hands it to its own axios instance (plain HTTP refused). NODE_EXTRA_CA_CERTS cannot help, since
 * an explicit `ca` replaces the default store it extends, and https.globalAgent is never used. So this test, and
 * only this test process, swaps that one agent for one that trusts the test CA. Everything else (assertions,
 * URL building, the token checks) is the SDK's own code; the first test proves the pinning is really in the way.
 */

const REDIRECT = 'https://app.example/duo/callback?from=sdk';
let certs: TestCertificates;
let sandbox: DuoSandbox;

before(async () => {
  certs = makeTestCertificates();
  sandbox = await startDuoSandbox({
    tls: { key: certs.key, cert: certs.cert },
    users: [{ username: 'alice' }, { username: 'bob' }],
  });
});

after(() => sandbox.close());

function pinnedClient(): Client {
  return new Client({
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    apiHost: `localhost:${sandbox.port}`,
    redirectUrl: REDIRECT,
  });
}

function trustingClient(): Client {
  const client = pinnedClient();
  (client as unknown as { axios: { defaults: { httpsAgent: Agent } } }).axios.defaults.httpsAgent = new Agent({
    ca: certs.ca,
  });
  return client;
}

/** The browser's top-level GET of the authorize URL: the redirect it is sent, not followed. */
function browserGet(url: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(url, { ca: certs.ca }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    }).on('error', reject);
  });
}

async function control<T>(path: string, method = 'GET'): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = get(`${sandbox.url}/sandbox/${path}`, { ca: certs.ca, method }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(JSON.parse(text) as T));
    });
    req.on('error', reject);
  });
}

/** createAuthUrl → the sandbox prompt, approved through the control API → the callback's duo_code. */
async function approvedCode(client: Client, username: string): Promise<string> {
  const state = client.generateState();
  const authUrl = await client.createAuthUrl(username, state);
  const page = await browserGet(authUrl);
  assert.equal(page.status, 200, 'the prompt page waits for a decision');
  const { prompts } = await control<{ prompts: { id: string; state: string }[] }>('oauth/prompts');
  const prompt = prompts.find((p) => p.state === state);
  assert.ok(prompt, 'the SDK’s request reached the prompt');
  const result = await control<{ kind: string; location: string }>(`oauth/prompts/${prompt.id}/approve`, 'POST');
  const callback = new URL(result.location);
  assert.equal(`${callback.origin}${callback.pathname}`, 'https://app.example/duo/callback');
  assert.equal(callback.searchParams.get('from'), 'sdk');
  assert.equal(callback.searchParams.get('state'), state);
  return callback.searchParams.get('duo_code') ?? '';
}

describe('sandbox universal: Duo’s official Node SDK accepts the sandbox', () => {
  it('is refused by the SDK as shipped, because it pins Duo’s CAs', async () => {
    await assert.rejects(pinnedClient().healthCheck(), /certificate/);
  });

  it('healthCheck answers OK', async () => {
    const answer = (await trustingClient().healthCheck()) as { stat: string; response: { timestamp: number } };
    assert.equal(answer.stat, 'OK');
    assert.equal(typeof answer.response.timestamp, 'number');
  });

  it('createAuthUrl → authorize → approve → exchangeAuthorizationCodeFor2FAResult succeeds', async () => {
    const client = trustingClient();
    const result = await client.exchangeAuthorizationCodeFor2FAResult(await approvedCode(client, 'alice'), 'alice');
    assert.equal(result.preferred_username, 'alice');
    assert.equal(result.aud, sandbox.clientId);
    assert.equal(result.iss, `https://localhost:${sandbox.port}/oauth/v1/token`);
    assert.equal(result.auth_result.status, 'allow');
  });

  it('also works when the outcome is preset and the browser just follows the redirect', async () => {
    const client = trustingClient();
    const state = client.generateState();
    sandbox.presetPrompt('bob', 'approve');
    const redirect = await browserGet(await client.createAuthUrl('bob', state));
    assert.equal(redirect.status, 302);
    const code = new URL(redirect.location ?? '').searchParams.get('duo_code') ?? '';
    const result = await client.exchangeAuthorizationCodeFor2FAResult(code, 'bob');
    assert.equal(result.auth_result.result, 'allow');
  });

  it('rejects a sandbox-minted id_token for another user', async () => {
    const client = trustingClient();
    const code = await approvedCode(client, 'alice');
    await assert.rejects(client.exchangeAuthorizationCodeFor2FAResult(code, 'bob'), (error: unknown) => {
      assert.ok(error instanceof DuoException);
      assert.match(error.message, /username/i);
      return true;
    });
  });

  it('rejects what the sandbox’s token faults break, and a reused code', async () => {
    const client = trustingClient();
    sandbox.setFault({ kind: 'token', tamper: 'username', times: 1 });
    await assert.rejects(
      client.exchangeAuthorizationCodeFor2FAResult(await approvedCode(client, 'alice'), 'alice'),
      /username/i,
    );
    sandbox.setFault({ kind: 'token', tamper: 'signature', times: 1 });
    await assert.rejects(
      client.exchangeAuthorizationCodeFor2FAResult(await approvedCode(client, 'alice'), 'alice'),
      /decoding JWT/i,
    );
    const code = await approvedCode(client, 'alice');
    await client.exchangeAuthorizationCodeFor2FAResult(code, 'alice');
    await assert.rejects(client.exchangeAuthorizationCodeFor2FAResult(code, 'alice'), /invalid_grant/);
  });
});
