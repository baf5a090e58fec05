import assert from 'node:assert/strict';

import { canonicalParams, formatRfc2822, sign } from '../../server/src/duo/signing';
import type { DuoSandbox } from '../../server/src/sandbox';

/** The Auth API as a client calls it, against the sandbox: for the unit tests of the sandbox's flows. */

export interface AuthReply {
  result: string;
  status: string;
  status_msg: string;
}

export interface Device {
  device: string;
  type: string;
  display_name: string;
  name: string;
  number?: string;
  capabilities?: string[];
  sms_nextcode?: string;
}

export interface PreauthReply {
  result: string;
  status_msg: string;
  devices?: Device[];
  enroll_portal_url?: string;
  txid?: string;
  verification_code?: string;
  expiration?: number;
}

export interface Reply<T> {
  status: number;
  body: { stat: string; response: T; code?: number; message?: string; message_detail?: string };
}

/** One v5-signed Auth API request to the sandbox, as a client sends it. */
export async function call<T>(
  box: DuoSandbox,
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, string> = {},
): Promise<Reply<T>> {
  const date = formatRfc2822(Date.now() + box.skew());
  const body = method === 'POST' ? JSON.stringify(params) : undefined;
  const query = method === 'GET' ? canonicalParams(params) : '';
  const { authorization } = sign(5, {
    date,
    method,
    host: '127.0.0.1',
    path,
    params: method === 'GET' ? params : {},
    body: body ?? '',
    integrationKey: box.ikey,
    secretKey: box.skey,
  });
  const res = await fetch(`${box.url}${path}${query ? `?${query}` : ''}`, {
    method,
    headers: { date, authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as Reply<T>['body'] };
}

/** The `response` of a 200 answer (anything else fails the test). */
export async function ok<T>(reply: Promise<Reply<T>>): Promise<T> {
  const { status, body } = await reply;
  assert.equal(status, 200, JSON.stringify(body));
  return body.response;
}

/** The Auth API calls the flows use, against the sandbox `current()` returns (or the one passed). */
export function sandboxCalls(current: () => DuoSandbox) {
  return {
    preauth: (params: Record<string, string>, box = current()) =>
      ok<PreauthReply>(call(box, 'POST', '/auth/v2/preauth', params)),
    auth: (params: Record<string, string>, box = current()) =>
      ok<AuthReply>(call(box, 'POST', '/auth/v2/auth', params)),
    asyncAuth: (params: Record<string, string>, box = current()) =>
      ok<{ txid: string }>(call(box, 'POST', '/auth/v2/auth', { ...params, async: '1' })).then((r) => r.txid),
    authStatus: (txid: string, box = current()) => ok<AuthReply>(call(box, 'GET', '/auth/v2/auth_status', { txid })),
  };
}

/** Names nobody used yet in this test file: `user1`, `user2`… */
export function freshNames(): (prefix?: string) => string {
  let counter = 0;
  return (prefix = 'user') => `${prefix}${(counter += 1)}`;
}

/** The sandbox's unsigned ping (faults answer before any signature check) and its HTTP control API. */
export function sandboxControl(current: () => DuoSandbox) {
  return {
    ping: (route = '/auth/v2/ping', init?: RequestInit) => fetch(`${current().url}${route}`, init),
    async control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
      const res = await fetch(`${current().url}/sandbox/${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return { status: res.status, json: await res.json() };
    },
  };
}
