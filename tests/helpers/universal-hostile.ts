import assert from 'node:assert/strict';

import fc from 'fast-check';

import { isRecord } from './client-answers';
import { login, type ClientsHarness } from './clients-harness';
import type { Audience } from './fault-bed';
import { type HostileResponse } from './hostile';
import { headerText, percentEncode, toQuery } from './hostile-encoding';
import { field, hostileString, objectWith } from './hostile-values';
import { HOSTILE_DUO_TEXT, UNSAFE_CHARACTER } from './hostile-duo-text';
import { adminLogin } from './staff';
import { completionFrom, expectUniversalRequired, followCallback, RETURN_URL, throughPrompt } from './universal-flow';

/**
 * Issue 15 item 6, hostile input on the Universal Prompt's endpoints: real states and Duo codes to mix into hostile
 * callbacks, step ids and used-up completion codes for the complete endpoints, and what every callback answer keeps.
 */

export const CALLBACK_PATHS: Readonly<Record<Audience, string>> = {
  clients: '/api/duo-security/universal/callback',
  staff: '/duo-security/universal/callback',
};
export const COMPLETE_PATHS: Readonly<Record<Audience, string>> = {
  clients: '/api/duo-security/step/complete',
  staff: '/duo-security/step/complete',
};

interface Issued {
  readonly audience: Audience;
  readonly stepId: string;
  readonly code: string;
}

/**
 * What real logins handed out: each state (with its Duo code, step and audience), every step id, and the completion
 * codes of steps already finished. No completion code of an unfinished step is ever kept: no pair drawn from these
 * pools can finish a login, so any token in an answer is a leak.
 */
export class UniversalPools {
  readonly issued = new Map<string, Issued>();
  readonly states: string[] = [];
  readonly steps: string[] = [];
  readonly usedCompletions: string[] = [];

  constructor(
    private readonly h: ClientsHarness,
    private readonly people: Readonly<Record<Audience, { login: string; password: string; duoUsername: string }>>,
  ) {}

  returnUrl(audience: Audience): string {
    return audience === 'clients' ? RETURN_URL : `${this.h.app.baseUrl}/duo-security/login`;
  }

  /** A password login, Duo's prompt approved: the callback URL the browser would follow, not yet followed. */
  async prompted(audience: Audience): Promise<URL> {
    const who = this.people[audience];
    const response =
      audience === 'clients'
        ? await login(this.h.app, who.login, who.password)
        : await adminLogin(this.h.app, who.login, who.password);
    const required = expectUniversalRequired(response, `${audience} login`);
    return this.approve(audience, required.stepId, required.authorizeUrl);
  }

  /** Duo's prompt approves the step's authorization: the callback URL, its state and code kept in the pools. */
  async approve(audience: Audience, stepId: string, authorizeUrl: string): Promise<URL> {
    const callback = await throughPrompt(this.h.sandbox, authorizeUrl, this.people[audience].duoUsername);
    const state = callback.searchParams.get('state') ?? '';
    this.issued.set(state, { audience, stepId, code: callback.searchParams.get('duo_code') ?? '' });
    this.states.push(state);
    this.steps.push(stepId);
    return callback;
  }

  /** Finishes the step of `state` with `completion` (the login's answer, a session) and keeps the code as used. */
  async finish(state: string, completion: string): Promise<void> {
    const issued = this.issued.get(state);
    assert.ok(issued !== undefined, 'a completion for a state no login issued');
    const response = await this.h.app.api(COMPLETE_PATHS[issued.audience], {
      method: 'POST',
      body: { step: issued.stepId, completion },
    });
    assert.equal(response.status, 200, `the completion finishes its own step: ${JSON.stringify(response.body)}`);
    this.usedCompletions.push(completion);
  }

  /** Fresh states for both audiences, and one finished login each (its code used up). */
  async refill(): Promise<void> {
    for (const audience of ['clients', 'staff'] as const) {
      await this.prompted(audience);
      await this.prompted(audience);
      const callback = await this.prompted(audience);
      const completion = completionFrom(await followCallback(callback), this.returnUrl(audience));
      await this.finish(callback.searchParams.get('state') ?? '', completion);
    }
  }

  /** Half the time one of the audience's latest states (likely still unused), else any state a login issued. */
  pick(index: number, audience: Audience): { state: string; code: string } {
    const own = this.states.filter((state) => this.issued.get(state)?.audience === audience);
    const from = index % 2 === 0 ? own.slice(-3) : this.states;
    const state = from[Math.floor(index / 2) % from.length] ?? 'A'.repeat(43);
    return { state, code: this.issued.get(state)?.code ?? 'A'.repeat(43) };
  }
}

const ERROR_CODES = ['access_denied', 'server_error', 'temporarily_unavailable', 'invalid_request'];
/** Long enough that cutting Duo's text at 200 UTF-16 units splits an emoji: a lone surrogate must not get out. */
const SPLIT_SURROGATE = `a${'\u{1f510}'.repeat(150)}`;
export const HOSTILE_DESCRIPTIONS = [HOSTILE_DUO_TEXT, '<script>alert(1)</script>"\'&', SPLIT_SURROGATE] as const;

/** Query strings of a callback: a real state and code (or a used one, or none) mixed with hostile parameters. */
export function callbackQuery(pools: UniversalPools, audience: Audience): fc.Arbitrary<string> {
  const wellFormedState = fc.stringMatching(/^[A-Za-z0-9._~-]{22,64}$/);
  return fc.nat().chain((index) => {
    const { state, code } = pools.pick(index, audience);
    const s = encodeURIComponent(state);
    const c = encodeURIComponent(code);
    const raw = [
      // A browser's own callback, and one with parameters nobody reads: they finish the login if the state is live.
      `state=${s}&duo_code=${c}`,
      `duo_code=${c}&state=${s}&utm[x]=1&${'z'.repeat(20)}=`,
      `state=${s}&state=${s}&duo_code=${c}`,
      `state[]=${s}&duo_code=${c}`,
      `state[x]=${s}&duo_code=${c}`,
      `state[__proto__]=${s}&duo_code=${c}`,
      `state=${s}&duo_code[]=${c}`,
      `state=${s}&duo_code=${c}&duo_code=${c}`,
      `duo_code=${c}`,
      `state=${s}&duo_code=${'A'.repeat(5_000)}`,
      `state=${'A'.repeat(5_000)}&duo_code=${c}`,
      `state=${s}%00&duo_code=${c}`,
      `state=%ED%A0%80${s}&duo_code=${c}`,
      `state=${s}%0D%0ASet-Cookie:%20x=1&duo_code=${c}`,
      // Encoded as a browser would (a lone surrogate as U+FFFD: the server decodes the rest) and byte for byte
      // (a lone surrogate as WTF-8, which the server cannot decode, so the value arrives still percent-encoded).
      ...HOSTILE_DESCRIPTIONS.flatMap((text) => [
        `state=${s}&error=access_denied&${new URLSearchParams({ error_description: text }).toString()}`,
        `state=${s}&error=access_denied&error_description=${percentEncode(text)}`,
      ]),
      `state=${s}&error[]=x&error_description[a]=b`,
      `error=access_denied&error_description=${percentEncode(HOSTILE_DUO_TEXT)}`,
      `state=${s}&duo_code=${c}&error_description=${percentEncode(HOSTILE_DUO_TEXT)}`,
      '',
      'state=',
      'state',
      '%',
      'state=%E0%A4%A',
    ];
    return fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...raw) },
      {
        weight: 3,
        arbitrary: objectWith({
          state: field(fc.constant(state), wellFormedState),
          duo_code: field(fc.constant(code), fc.string({ minLength: 1, maxLength: 80 })),
          error: field(fc.constantFrom(...ERROR_CODES)),
          error_description: field(hostileString, fc.constantFrom(...HOSTILE_DESCRIPTIONS)),
        }).map((value) => toQuery(value).join('&').slice(0, 6_000)),
      },
    );
  });
}

/**
 * What every answer of a callback keeps (beyond the hostile suite's no 5xx, envelope, no token, no secret): a 303
 * to one of the audience's own return URLs (`targets`) with either a completion code or an error in the fragment, all of it URL-encoded,
 * Duo's text escaped, never cached. Returns the completion code, when the request carried a real state and its code.
 */
export function checkCallbackAnswer(
  response: HostileResponse,
  targets: readonly string[],
  query: string,
  pools: UniversalPools,
  what: string,
): { state: string; completion: string } | undefined {
  const shown = `${what} → HTTP ${response.status} ${response.headers.get('location') ?? response.text.slice(0, 200)}`;
  if (response.status >= 400) return undefined;
  assert.equal(response.status, 303, shown);
  assert.equal(response.headers.get('cache-control'), 'no-store', shown);
  const location = response.headers.get('location') ?? '';
  // Printable ASCII only, nothing that could end an attribute or start markup: Duo's and the caller's text encoded.
  assert.match(location, /^[\x21-\x7e]+$/, shown);
  assert.doesNotMatch(location, /[<>"'`\\]/, shown);
  assert.doesNotMatch(response.text, UNSAFE_CHARACTER, `the redirect's body: ${shown}`);
  assert.doesNotMatch(response.text, /<script/i, `the redirect's body: ${shown}`);
  const hash = location.indexOf('#');
  assert.ok(targets.includes(location.slice(0, hash)), `the audience's own return URLs: ${shown}`);
  const fragment = new URLSearchParams(location.slice(hash + 1));
  const keys = [...fragment.keys()].sort();
  const completion = fragment.get('duo_completion');
  if (completion === null) {
    assert.deepEqual(keys, ['duo_error', 'duo_error_description'], shown);
    assert.match(fragment.get('duo_error') ?? '', /^[a-z-]+$/, shown);
    assert.doesNotMatch(fragment.get('duo_error_description') ?? '', UNSAFE_CHARACTER, `Duo's text escaped: ${shown}`);
    return undefined;
  }
  assert.deepEqual(keys, ['duo_completion'], shown);
  // Only the very state a login issued, once, with its own Duo code and no error, finishes at Duo's callback.
  const sent = new URLSearchParams(query);
  const [state = ''] = sent.getAll('state');
  assert.equal(sent.getAll('state').length, 1, `a completion for a request without one state: ${shown}`);
  assert.deepEqual(sent.getAll('duo_code'), [pools.issued.get(state)?.code], `not the state's own code: ${shown}`);
  assert.deepEqual(sent.getAll('error'), [], `a completion despite an error: ${shown}`);
  return { state, completion };
}

/** Every string in a value (audit rows, log entries) with a character that must never get through. */
export function unsafeStrings(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (UNSAFE_CHARACTER.test(value)) found.push(JSON.stringify(value).slice(0, 200));
  } else if (Array.isArray(value)) {
    for (const item of value) unsafeStrings(item, found);
  } else if (isRecord(value)) {
    for (const item of Object.values(value)) unsafeStrings(item, found);
  }
  return found;
}

/** The front-end URL a sign-in with this `X-Duo-Return-To` must return to, or undefined when it must be refused. */
export function expectedReturn(header: string, allowed: readonly string[]): string | undefined {
  const read = headerAsRead(header);
  if (read === '') return allowed[0];
  return allowed.includes(read) ? read : undefined;
}

/** HTTP drops the spaces and tabs around a header value: what the server reads. */
export function headerAsRead(header: string): string {
  return header.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * The answer with the Duo-required answer's authorize URL taken out: it carries Duo's signed request object (a JWT,
 * but no credential: it only asks Duo for a prompt), which the no-token check would otherwise count as a leak.
 */
export function withoutAuthorizeUrl(response: HostileResponse, duoUrl: string): HostileResponse {
  let body: unknown;
  try {
    body = JSON.parse(response.text) as unknown;
  } catch {
    return response;
  }
  const error = isRecord(body) ? body.error : undefined;
  const details = isRecord(error) ? error.details : undefined;
  const duo = isRecord(details) ? details.duo : undefined;
  const url = isRecord(duo) ? duo.authorizeUrl : undefined;
  if (typeof url !== 'string' || !url.startsWith(`${duoUrl}/oauth/v1/authorize?`)) return response;
  return { ...response, text: response.text.replace(JSON.stringify(url), '""') };
}

/** `X-Duo-Return-To` values: the allowed ones (the first two of `allowed`), near misses, other sites, any header text. */
export function returnToHeader(allowed: readonly [string, string]): fc.Arbitrary<string> {
  const [first, second] = allowed;
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        first,
        second,
        '',
        `${first}/`,
        first.toUpperCase(),
        ` ${first}\t`,
        `${first}#x`,
        `${first}?next=/admin`,
        `${first}@attacker.example`,
        'javascript:alert(1)',
        'https://attacker.example/steal',
        '//attacker.example',
        `${second}/../steal`,
        'null',
      ),
    },
    { weight: 2, arbitrary: headerText },
  );
}
