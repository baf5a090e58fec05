import assert from 'node:assert/strict';

import type { Strapi } from '@strapi/strapi';

import type { DuoSandbox } from '../../server/src/sandbox';
import { assertNoToken, errorOf, isRecord, stepFrom, type DuoRequired } from './client-answers';
import type { ApiResponse } from './strapi';

/** The Universal Prompt's round trip as a browser makes it, against a booted app and the sandbox. */

export const RETURN_URL = 'http://127.0.0.1:9/after-duo';
export const APP_RETURN_URL = 'com.example.app://duo-done';

/**
 * Switches the installation to the Universal Prompt with the sandbox's Web SDK application, through the settings
 * service (the settings API's own path: validation, and the health check an active configuration must pass).
 */
export async function useUniversalPrompt(
  strapi: Strapi,
  sandbox: DuoSandbox,
  returnUrls: readonly string[] = [RETURN_URL, APP_RETURN_URL],
): Promise<void> {
  const settings = strapi.plugin('duo-security').service('settings') as { update(update: object): Promise<unknown> };
  await settings.update({
    integration: 'universal',
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    clientReturnUrls: returnUrls,
  });
}

/** The browser opens the authorize URL (its outcome preset at the sandbox) and is sent to the plugin's callback. */
export async function throughPrompt(
  sandbox: DuoSandbox,
  authorizeUrl: string,
  username: string,
  outcome: 'approve' | 'deny' | 'error' = 'approve',
): Promise<URL> {
  assert.ok(authorizeUrl.startsWith(`${sandbox.url}/oauth/v1/authorize?`), `authorize URL: ${authorizeUrl}`);
  sandbox.presetPrompt(username, outcome);
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  assert.equal(response.status, 302, `the sandbox accepted the authorization request (${response.status})`);
  return new URL(response.headers.get('location') ?? '');
}

export interface CallbackAnswer {
  readonly status: number;
  /** Where the callback sent the browser, without its fragment. */
  readonly target: string;
  /** The fragment's parameters: `duo_completion`, or `duo_error` and `duo_error_description`. */
  readonly fragment: URLSearchParams;
  readonly headers: Headers;
  readonly body: string;
}

/** The browser following Duo's redirect to the plugin's callback (one request, the redirect not followed). */
export async function followCallback(callback: URL | string): Promise<CallbackAnswer> {
  const response = await fetch(callback, { redirect: 'manual' });
  const location = response.headers.get('location') ?? '';
  const hash = location.indexOf('#');
  return {
    status: response.status,
    target: hash < 0 ? location : location.slice(0, hash),
    fragment: new URLSearchParams(hash < 0 ? '' : location.slice(hash + 1)),
    headers: response.headers,
    body: await response.text(),
  };
}

/** A callback that succeeded: 303 to `returnUrl` with a completion code. */
export function completionFrom(answer: CallbackAnswer, returnUrl: string): string {
  const said = `${answer.status} → ${answer.target} #${answer.fragment.toString()} ${answer.body}`;
  assert.equal(answer.status, 303, said);
  assert.equal(answer.target, returnUrl, said);
  const completion = answer.fragment.get('duo_completion');
  assert.match(completion ?? '', /^[A-Za-z0-9_-]{43}$/, said);
  return completion ?? '';
}

/** A callback that refused: 303 to `returnUrl` with an error and no completion code. */
export function callbackError(answer: CallbackAnswer, returnUrl: string): string {
  const said = `${answer.status} → ${answer.target} #${answer.fragment.toString()} ${answer.body}`;
  assert.equal(answer.status, 303, said);
  assert.equal(answer.target, returnUrl, said);
  assert.equal(answer.fragment.get('duo_completion'), null, said);
  return answer.fragment.get('duo_error') ?? '';
}

/**
 * The Duo-required answer of the Universal Prompt: a step and the authorize URL, no credential. The URL carries
 * Duo's signed request object (a JWT, but no credential: it only asks Duo for a prompt), so the no-token check
 * looks at everything else.
 */
export function expectUniversalRequired(response: ApiResponse, what = 'login'): DuoRequired & { authorizeUrl: string } {
  const error = errorOf(response, 400);
  assert.equal(error.name, 'DuoRequiredError', `${what}: ${JSON.stringify(response.body)}`);
  const required = stepFrom(error.details, what);
  const duo = required.duo as unknown as Record<string, unknown>;
  assert.equal(duo.result, 'universal', `${what}: ${JSON.stringify(duo)}`);
  assert.equal(typeof duo.authorizeUrl, 'string');
  const authorizeUrl = String(duo.authorizeUrl);
  const body = JSON.stringify(response.body).replace(JSON.stringify(authorizeUrl), '""');
  assertNoToken({ body: JSON.parse(body) as unknown, headers: response.headers }, what);
  assert.ok(isRecord(response.body));
  return { ...required, authorizeUrl };
}
