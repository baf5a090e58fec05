import fc from 'fast-check';
import jwt from 'jsonwebtoken';

import type { Client, ClientsHarness } from '../helpers/clients-harness';
import { bodyText } from '../helpers/hostile';
import {
  encodedBody,
  forgeJwt,
  extraHeaders,
  junkAuthorization,
  toQuery,
  type EncodedBody,
  type HostileRequest,
} from '../helpers/hostile-encoding';
import { hostileJson } from '../helpers/hostile-values';
import { mintPlainAdminToken, signAdminToken } from '../helpers/staff';
import type { Caller, Endpoint } from './endpoint-table';

/** The tokens a hostile request may carry: the signed-in callers' own, and forged ones. */
export interface CallerTokens {
  readonly admin: string;
  readonly client: string;
  /** `Bearer …` values. */
  readonly forged: readonly string[];
}

function authorization(caller: Caller, tokens: CallerTokens): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: caller === 'admin' ? 8 : 2, arbitrary: fc.constant(`Bearer ${tokens.admin}`) },
    { weight: caller === 'client' ? 8 : 2, arbitrary: fc.constant(`Bearer ${tokens.client}`) },
    { weight: 2, arbitrary: fc.constantFrom(...tokens.forged) },
    { weight: 2, arbitrary: junkAuthorization },
  );
}

/** Query strings Strapi's qs parser has to survive: brackets, depth, repetition, bad percent-encoding. */
const junkQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: hostileJson.map((value) => toQuery(value).join('&')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%E0%A4%A',
      '%',
      'a[[[=1',
      `${'a'.repeat(1).concat('[b]'.repeat(1_000))}=1`,
      Array.from({ length: 500 }, (_, i) => `a[]=${i}`).join('&'),
      'a[__proto__][x]=1&constructor[prototype][y]=1',
      'populate=*&filters[$or][0][id][$gt]=0',
    ),
  },
);

/** JSON text of a lone surrogate (JSON.stringify writes paired ones as they are, lone ones as escapes). */
const LONE_SURROGATE = /\\ud[89a-f][0-9a-f]{2}/i;

/** The requests fast-check sends to one endpoint: its values (or any JSON), junk queries, headers and tokens. */
export function requestFor(endpoint: Endpoint, tokens: CallerTokens): fc.Arbitrary<HostileRequest> {
  const values = endpoint.values?.() ?? hostileJson;
  const withBody = endpoint.method !== 'GET';
  const requests = fc
    .record({
      path: endpoint.paths?.() ?? fc.constant(endpoint.path),
      authorization: authorization(endpoint.caller, tokens),
      extra: extraHeaders,
      body: withBody ? encodedBody(values) : fc.constant<EncodedBody>({}),
      query: withBody
        ? junkQuery
        : fc.oneof(
            values.map((v) => toQuery(v).join('&')),
            junkQuery,
          ),
    })
    .map(({ path, authorization: auth, extra, body, query }) => ({
      method: endpoint.method,
      // Under Node's 16 KiB header limit (the request line counts); a cut may split a %-escape, also fine.
      path: query === '' ? path : `${path}?${query.slice(0, 6_000)}`,
      headers: {
        ...extra,
        ...(auth === undefined ? {} : { authorization: auth }),
        ...(body.contentType === undefined ? {} : { 'content-type': body.contentType }),
        ...(body.contentEncoding === undefined ? {} : { 'content-encoding': body.contentEncoding }),
      },
      ...(body.body === undefined ? {} : { body: body.body }),
    }));
  return endpoint.checksPassword ? requests.filter((r) => !LONE_SURROGATE.test(bodyText(r) ?? '')) : requests;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The Secret Key a request typed (long enough not to turn up by chance), which no answer may repeat. */
export function typedSecret(request: HostileRequest): string[] {
  const text = bodyText(request);
  const typed = text === undefined ? undefined : parseObject(text)?.secretKey;
  return typeof typed === 'string' && typed.length >= 16 ? [typed] : [];
}

/**
 * Tokens no request may get through with: signed with the right secrets but expired, without the Duo claim, or for
 * the other audience; signed with a wrong secret; `alg: none`; an injection in the id. As `Bearer …` values.
 */
export function forgedTokens(h: Pick<ClientsHarness, 'app' | 'strapi'>, duoClient: Pick<Client, 'id'>): string[] {
  const v5 = h.app.host === 'v5';
  const upSecret = String(
    h.strapi.config.get(v5 ? 'plugin::users-permissions.jwtSecret' : 'plugin.users-permissions.jwtSecret'),
  );
  const adminSecret = String(h.strapi.config.get('admin.auth.secret'));
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  return [
    // Signed with the right secrets but expired, without the Duo claim, or for the other audience.
    jwt.sign({ id: 1, duo: 'allow', iat: hourAgo - 60, exp: hourAgo }, adminSecret),
    // Strapi 4's admin token service; on Strapi 5 the same payloads signed with the admin secret.
    ...(v5
      ? [
          jwt.sign({ id: 1, duo: 'fail-closed' }, adminSecret),
          jwt.sign({ id: 1 }, adminSecret),
          // Strapi 5's access-token shape, naming a session that does not exist or one of another kind.
          jwt.sign({ userId: '1', sessionId: 'no-such-session', type: 'access' }, adminSecret),
          jwt.sign({ userId: '1', sessionId: 'no-such-session', type: 'refresh' }, adminSecret),
          jwt.sign({ userId: String(duoClient.id), sessionId: 'no-such-session', type: 'access' }, upSecret),
        ]
      : [signAdminToken(h.strapi, { id: 1, duo: 'fail-closed' }), mintPlainAdminToken(h.strapi, 1)]),
    jwt.sign({ id: duoClient.id, duo: 'allow', iat: hourAgo - 60, exp: hourAgo }, upSecret),
    jwt.sign({ id: duoClient.id }, upSecret),
    jwt.sign({ id: 1, duo: 'allow' }, upSecret),
    jwt.sign({ id: duoClient.id, duo: 'allow' }, 'not-the-secret'),
    forgeJwt({ alg: 'none', typ: 'JWT' }, { id: 1, duo: 'allow' }),
    forgeJwt({ alg: 'HS256', typ: 'JWT' }, { id: '1 OR 1=1', duo: 'allow' }, 'AAAA'),
  ].map((token) => `Bearer ${token}`);
}
