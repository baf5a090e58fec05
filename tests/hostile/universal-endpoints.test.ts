import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import fc from 'fast-check';

import { errorOf } from '../helpers/client-answers';
import { createClient, startClientsHarness, type ClientsHarness } from '../helpers/clients-harness';
import { auditEntries } from '../helpers/plugin-rows';
import { printFigure } from '../helpers/figures';
import {
  assertHostileAnswer,
  describeRequest,
  hostileSeed,
  HostileClient,
  runsPerEndpoint,
  tokensSent,
} from '../helpers/hostile';
import { encodedBody, extraHeaders, toJson, type HostileRequest } from '../helpers/hostile-encoding';
import { anyStepId, Entries, field, hostileString, objectWith, STEP_ID_CHARS } from '../helpers/hostile-values';
import { HOSTILE_DUO_TEXT, READABLE_PART, UNSAFE_CHARACTER } from '../helpers/hostile-duo-text';
import { severeLogs } from '../helpers/logs';
import { createAdmin } from '../helpers/staff';
import {
  APP_RETURN_URL,
  completionFrom,
  expectUniversalRequired,
  followCallback,
  RETURN_URL,
  useUniversalPrompt,
} from '../helpers/universal-flow';
import {
  CALLBACK_PATHS,
  callbackQuery,
  checkCallbackAnswer,
  COMPLETE_PATHS,
  expectedReturn,
  headerAsRead,
  returnToHeader,
  HOSTILE_DESCRIPTIONS,
  UniversalPools,
  unsafeStrings,
  withoutAuthorizeUrl,
} from '../helpers/universal-hostile';

/**
 * Issue 15 item 6, hostile input on the Universal Prompt's endpoints, both audiences: Duo's callback (repeated,
 * array and object parameters, huge values, control characters, lone surrogates, a code without a state, an error
 * whose description is hostile text), the complete endpoints (any body: wrong types, extra fields, deep nesting,
 * huge strings) and the `X-Duo-Return-To` header of a sign-in. Properties: never a 5xx; a callback answers a 303 to
 * the audience's own return URL (or a 4xx envelope), its fragment URL-encoded and Duo's text escaped, a completion
 * code only for the very state and Duo code a login issued; complete never finishes a login from what it is thrown;
 * a return URL is one of the allow-list or the sign-in is refused. No token, no secret, no control character in the
 * answers, the audit trail or the plugin's log lines; Strapi keeps serving.
 *
 * Replay a failure with HOSTILE_SEED (printed first); HOSTILE_RUNS sets the runs per endpoint.
 */

const RUNS = runsPerEndpoint(process.env.HOSTILE_RUNS);
const SEED = hostileSeed();
const ALLOWED = [RETURN_URL, APP_RETURN_URL] as const;
const AUDIENCES = ['clients', 'staff'] as const;

let h: ClientsHarness;
let client: HostileClient;
let pools: UniversalPools;
let secrets: string[];
let person: { login: string; password: string; duoUsername: string };
let failures = 0;
/** Callbacks that carried a real state with its own code: the property's "only then" was met this often. */
let completions = 0;

before(async () => {
  const required = { enabled: true, enforcement: 'required', failMode: 'closed' } as const;
  h = await startClientsHarness({ clients: required, staff: required });
  await useUniversalPrompt(h.strapi, h.sandbox, ALLOWED);
  // Strapi logs each body-parser refusal with its stack; they are still captured and checked at the end.
  if (process.env.HOSTILE_VERBOSE !== '1') for (const transport of h.strapi.log.transports) transport.silent = true;
  client = new HostileClient(h.app.baseUrl);
  secrets = [h.sandbox.skey, h.sandbox.clientSecret];
  const clientUser = await createClient(h, { prefix: 'hostileup' });
  const admin = await createAdmin(h, { prefix: 'hostileup' });
  person = { login: clientUser.email, password: clientUser.password, duoUsername: clientUser.duoUsername };
  pools = new UniversalPools(h, {
    clients: person,
    staff: { login: admin.email, password: admin.password, duoUsername: admin.email },
  });
  await pools.refill();
});

after(async () => {
  await h?.close();
});

async function counted(check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    failures += 1;
    throw error;
  }
}

describe("Duo's callback, hostile query strings", () => {
  AUDIENCES.forEach((audience, index) => {
    const path = CALLBACK_PATHS[audience];
    it(`GET ${path}: a 303 to the ${audience} return URL or a 4xx envelope; a completion only for a real state and its code`, async () => {
      let runs = 0;
      await counted(() =>
        fc.assert(
          fc.asyncProperty(callbackQuery(pools, audience), extraHeaders, async (query, extra) => {
            runs += 1;
            if (runs % 10 === 0) await pools.refill();
            const request: HostileRequest = { method: 'GET', path: `${path}?${query}`, headers: extra };
            const what = `GET ${path}: ${describeRequest(request)}`;
            const response = await client.send(`GET ${path}`, request);
            assertHostileAnswer(response, 'envelope', secrets, what);
            const targets = audience === 'clients' ? ALLOWED : [pools.returnUrl('staff')];
            const won = checkCallbackAnswer(response, targets, query, pools, what);
            // A real login's completion: it finishes that login (and is used up, so no later input can).
            if (won === undefined) return;
            await pools.finish(won.state, won.completion);
            completions += 1;
          }),
          { numRuns: RUNS, seed: SEED + index },
        ),
      );
      await counted(() => client.assertHealthy(`GET ${path}`));
    });
  });

  for (const audience of AUDIENCES) {
    it(`${audience}: Duo's error_description is data: escaped, URL-encoded, in no audit entry or log line raw`, async () => {
      const logsBefore = h.app.logs.length;
      for (const text of HOSTILE_DESCRIPTIONS) {
        const callback = await pools.prompted(audience);
        const state = callback.searchParams.get('state') ?? '';
        const url = new URL(CALLBACK_PATHS[audience], h.app.baseUrl);
        url.search = new URLSearchParams({ state, error: 'access_denied', error_description: text }).toString();
        const answer = await followCallback(url);
        const location = answer.headers.get('location') ?? '';
        assert.equal(answer.status, 303, location);
        assert.equal(answer.target, pools.returnUrl(audience));
        assert.equal(answer.fragment.get('duo_error'), 'denied');
        assert.equal(answer.fragment.get('duo_completion'), null);
        const said = answer.fragment.get('duo_error_description') ?? '';
        assert.doesNotMatch(said, UNSAFE_CHARACTER, 'escaped');
        assert.doesNotMatch(location, /[<>"'\s]/, 'URL-encoded');
        assert.doesNotMatch(answer.body, /<script/i, "the redirect's body shows the encoded URL only");
        assert.doesNotMatch(answer.body, UNSAFE_CHARACTER, "the redirect's body");
        if (text.includes(READABLE_PART)) assert.ok(said.includes(READABLE_PART), `readable: ${said}`);
        if (text.startsWith('<script>')) assert.ok(said.startsWith('<script>'), 'data, kept as text in the fragment');
        assert.ok(said.length <= 200 * 6, 'cut to 200 characters (each escaped at most into \\uXXXX)');
      }
      // A hostile Duo code is refused as invalid; the operator's warning carries none of it.
      const callback = await pools.prompted(audience);
      callback.searchParams.set('duo_code', HOSTILE_DUO_TEXT);
      assert.equal((await followCallback(callback)).fragment.get('duo_error'), 'invalid');
      const fresh = h.app.logs.slice(logsBefore).map((entry) => entry.message);
      assert.ok(
        fresh.some((line) => /^Duo security: .*did not check out/.test(line)),
        'the operator was warned',
      );
      assert.deepEqual(unsafeStrings(fresh), [], 'log lines');
      assert.deepEqual(unsafeStrings(await auditEntries(h.strapi, { event: 'step.denied' })), [], 'audit entries');
    });
  }
});

const completion = () =>
  field(
    fc.nat().map((i) => pools.usedCompletions[i % pools.usedCompletions.length] ?? 'A'.repeat(43)),
    fc.string({ unit: fc.constantFrom(...STEP_ID_CHARS), minLength: 43, maxLength: 43 }),
    hostileString,
  );

describe('the complete endpoints, hostile bodies', () => {
  AUDIENCES.forEach((audience, index) => {
    const path = COMPLETE_PATHS[audience];
    it(`POST ${path}: a 4xx envelope, never a session, for anything but a step's own fresh completion code`, async () => {
      const values = objectWith({ step: field(anyStepId(() => pools.steps)), completion: completion() });
      await counted(() =>
        fc.assert(
          fc.asyncProperty(encodedBody(values), extraHeaders, async (body, extra) => {
            const request: HostileRequest = {
              method: 'POST',
              path,
              headers: {
                ...extra,
                ...(body.contentType === undefined ? {} : { 'content-type': body.contentType }),
                ...(body.contentEncoding === undefined ? {} : { 'content-encoding': body.contentEncoding }),
              },
              ...(body.body === undefined ? {} : { body: body.body }),
            };
            const what = `POST ${path}: ${describeRequest(request)}`;
            const response = await client.send(`POST ${path}`, request);
            assertHostileAnswer(response, 'envelope', secrets, what, tokensSent(request));
            assert.ok(response.status >= 400, `finished a login: ${what}`);
          }),
          { numRuns: RUNS, seed: SEED + 10 + index },
        ),
      );
      await counted(() => client.assertHealthy(`POST ${path}`));
    });
  });

  const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`;
  const BODIES: ReadonlyArray<readonly [string, () => string]> = [
    ['2 MB of JSON', () => toJson(new Entries([['step', 'A'.repeat(2_000_000)]]))],
    ['a 500 000-character completion', () => toJson(new Entries([['completion', 'A'.repeat(500_000)]]))],
    ['10 000 nested arrays', () => nested(10_000, '[', ']')],
    ['10 000 nested objects', () => nested(10_000, '{"a":', '}')],
    ['10 000 levels under step and completion', () => `{"step":${nested(10_000, '[', ']')},"completion":{}}`],
    ['wrong types', () => '{"step":43,"completion":["A"],"wait":"yes"}'],
    ['extra fields', () => `{"step":"${'A'.repeat(43)}","completion":"${'A'.repeat(43)}","jwt":"x","__proto__":{}}`],
  ];
  for (const [what, body] of BODIES) {
    it(`${what}: a 4xx envelope on both complete endpoints`, async () => {
      for (const path of Object.values(COMPLETE_PATHS)) {
        const request = { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: body() };
        await counted(async () => {
          const response = await client.send(`POST ${path}`, request);
          assertHostileAnswer(response, 'envelope', secrets, `${path}: ${what}`);
          assert.ok(response.status >= 400 && response.status < 500, `${path}: ${what}: HTTP ${response.status}`);
        });
      }
      await counted(() => client.assertHealthy(what));
    });
  }
});

describe('X-Duo-Return-To on a sign-in', () => {
  it('POST /api/auth/local: an allow-listed URL (or none) gets the step and is where the callback returns; anything else a 400, echoed nowhere', async () => {
    await counted(() =>
      fc.assert(
        fc.asyncProperty(returnToHeader(ALLOWED), async (header) => {
          const request: HostileRequest = {
            method: 'POST',
            path: '/api/auth/local',
            headers: { 'content-type': 'application/json', 'x-duo-return-to': header },
            body: JSON.stringify({ identifier: person.login, password: person.password }),
          };
          const what = `X-Duo-Return-To ${JSON.stringify(header)}`;
          const response = await client.send('POST /api/auth/local', request);
          assertHostileAnswer(withoutAuthorizeUrl(response, h.sandbox.url), 'envelope', secrets, what);
          const body = JSON.parse(response.text) as { error?: { name?: string } };
          const expected = expectedReturn(header, ALLOWED);
          if (expected === undefined) {
            assert.equal(response.status, 400, what);
            assert.equal(body.error?.name, 'ValidationError', `${what}: ${response.text.slice(0, 300)}`);
            const read = headerAsRead(header);
            if (read.length >= 8) assert.ok(!response.text.includes(read), `${what}: echoed`);
            return;
          }
          const required = expectUniversalRequired({ status: response.status, headers: response.headers, body }, what);
          const callback = await pools.approve('clients', required.stepId, required.authorizeUrl);
          // The callback returns where the header said; finished at once, so no open completion code is left.
          const code = completionFrom(await followCallback(callback), expected);
          await pools.finish(callback.searchParams.get('state') ?? '', code);
        }),
        { numRuns: RUNS, seed: SEED + 20 },
      ),
    );
    await counted(() => client.assertHealthy('X-Duo-Return-To'));
  });
});

describe('after all that', () => {
  it('no control character in the audit trail or the plugin log lines, no plugin error, and logins still work', async () => {
    assert.deepEqual(unsafeStrings(await auditEntries(h.strapi)), [], 'audit entries');
    const pluginLines = h.app.logs.filter((entry) => /Duo security/.test(entry.message));
    assert.ok(pluginLines.length >= 2, 'the capture saw the plugin warn about hostile Duo codes');
    assert.deepEqual(unsafeStrings(pluginLines.map((entry) => entry.message)), [], 'plugin log lines');
    const errors = severeLogs(h.app.logs).filter(
      (entry) => entry.level === 'error' && /dist\/server\/|duo-security|Duo security/.test(entry.message),
    );
    assert.deepEqual(errors, [], 'the plugin logged errors');
    for (const audience of AUDIENCES) {
      const callback = await pools.prompted(audience);
      const code = completionFrom(await followCallback(callback), pools.returnUrl(audience));
      await pools.finish(callback.searchParams.get('state') ?? '', code);
    }
    const refused = await h.app.api(COMPLETE_PATHS.clients, { method: 'POST', body: { step: 1 } });
    assert.equal(errorOf(refused, 400).name, 'ValidationError');
    assert.equal(failures, 0, 'properties failed above: no figure');
    printFigure(
      'hostile input, Universal Prompt',
      `${client.requests} inputs tried across ${client.endpoints.size} endpoints, 0 server errors; ` +
        `${completions} callbacks with a real state and code finished their login`,
    );
  });
});
