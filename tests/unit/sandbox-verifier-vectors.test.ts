import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';

import { canonicalV2, canonicalV5, paramsLine, sha512Of, xDuoHeaderText } from '../../server/src/sandbox/duo-canonical';
import { DuoApiError } from '../../server/src/sandbox/errors';
import { verifyRequest, type SignedRequest } from '../../server/src/sandbox/verify-request';
import { loadSignVectors, type VectorInputs } from '../helpers/sign-vectors';

/*
 * Every official vector through the sandbox's own verifier (the client's signer meets the same vectors in
 * signing-vectors.test.ts). Each request is built the way the vector describes it going over the wire, and carries
 * the Authorization header the vector expects, never one this project computed.
 */

const vectors = loadSignVectors();

/** The wire's form encoding (`+` for a space, `*` left alone), unlike the canonical one: the verifier must re-encode. */
function wireForm(params: Readonly<Record<string, readonly string[]>>): string {
  const form = new URLSearchParams();
  for (const [key, values] of Object.entries(params)) for (const value of values) form.append(key, value);
  return form.toString();
}

function basic(ikey: string, hex: string): string {
  return `Basic ${Buffer.from(`${ikey}:${hex}`, 'utf8').toString('base64')}`;
}

/** The request a vector describes: v2 POST parameters in a form body, v5 ones in the query beside a JSON body. */
function describedRequest(
  version: number,
  inputs: VectorInputs,
  authorization: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): SignedRequest {
  const isGet = inputs.method.toUpperCase() === 'GET';
  const headers: Record<string, string[]> = { authorization: [authorization] };
  const xDuo = Object.entries(inputs.x_duo_headers ?? {});
  for (const [name, value] of xDuo) headers[name.toLowerCase()] = [value];
  // duo_hmac_python (H1–H7) sends only x-duo-date; the others send Date.
  if (inputs.date !== null && !xDuo.some(([name]) => name.toLowerCase() === 'x-duo-date')) headers.date = [inputs.date];
  for (const [name, value] of Object.entries(extraHeaders)) headers[name.toLowerCase()] ??= [value];
  let query = wireForm(inputs.params);
  let body = '';
  if (!isGet && version === 2) {
    headers['content-type'] = ['application/x-www-form-urlencoded'];
    body = query;
    query = '';
  } else if (!isGet) {
    headers['content-type'] = ['application/json'];
    body = inputs.body ?? '';
  }
  return {
    method: inputs.method,
    path: inputs.path,
    host: inputs.host,
    headers,
    query,
    rawBody: Buffer.from(body, 'utf8'),
  };
}

function contextFor(ikey: string, skey: string, date: string | null) {
  return {
    integrations: new Map([[ikey, { ikey, skey, type: 'auth' as const }]]),
    nowMs: date === null ? Date.now() : Date.parse(date),
    dateToleranceSec: 300,
  };
}

function duoCode(work: () => unknown): number | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof DuoApiError) return error.code;
    throw error;
  }
}

/** The same request with the last hex digit of its signature changed. */
function withBrokenSignature(request: SignedRequest): SignedRequest {
  const header = request.headers.authorization?.[0] ?? '';
  const [ikey, hex] = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8').split(':');
  const last = hex?.at(-1) === '0' ? '1' : '0';
  return {
    ...request,
    headers: { ...request.headers, authorization: [basic(ikey ?? '', `${hex?.slice(0, -1)}${last}`)] },
  };
}

describe("the sandbox's verifier on Duo's signature vectors", () => {
  it('has all of them', () => {
    assert.equal(vectors.signature.length, 15);
    assert.equal(vectors.canonical_request.length, 10);
    assert.equal(vectors.param_canonicalization.length, 12);
    assert.equal(vectors.sha512_reference_hashes.length, 8);
  });

  for (const vector of vectors.signature) {
    it(`accepts ${vector.id} as the vector sends it, and refuses it with one digit changed`, () => {
      const { inputs, expected } = vector;
      const authorization = expected.authorization ?? basic(inputs.ikey, expected.hex_signature ?? '');
      const wireHeaders = { ...(vector.wire?.headers_sent_besides_authorization ?? {}) };
      delete wireHeaders['Content-type'];
      const request = describedRequest(vector.sig_version, inputs, authorization, wireHeaders);
      const context = contextFor(inputs.ikey, inputs.skey, inputs.date);
      assert.equal(verifyRequest(request, context).ikey, inputs.ikey);
      assert.equal(
        duoCode(() => verifyRequest(withBrokenSignature(request), context)),
        40103,
      );
    });
  }
});

describe("the sandbox's canonical text on Duo's canonical-request vectors", () => {
  const skey = 'vectorsecretvectorsecretvectorsecret0000';
  for (const vector of vectors.canonical_request) {
    const { inputs } = vector;
    const parts = {
      date: inputs.date ?? '',
      method: inputs.method,
      host: inputs.host,
      path: inputs.path,
      params: inputs.params,
    };
    if (vector.sig_version === 2 || vector.sig_version === 5) {
      it(`rebuilds ${vector.id}`, () => {
        const text =
          vector.sig_version === 2
            ? canonicalV2(parts)
            : canonicalV5(parts, inputs.body ?? '', xDuoHeaderText(inputs.x_duo_headers ?? {}) ?? 'refused');
        assert.equal(text, vector.expected_canonical);
      });
    }
    // A zone-less date (C3–C5) is not RFC 2822 and v1 (C1) has none: Duo answers 40105 before the signature.
    const datable = inputs.date !== null && /(?:[+-]\d{4}|GMT)$/.test(inputs.date);
    const verdict = vector.sig_version === 1 || vector.sig_version === 4 || !datable ? 'refuses' : 'accepts';
    it(`${verdict} the request ${vector.id} describes, signed over its expected text`, () => {
      const hex = createHmac('sha512', skey).update(vector.expected_canonical, 'utf8').digest('hex');
      const request = describedRequest(vector.sig_version, inputs, basic('DIVECTORVECTORVECTOR', hex));
      const code = duoCode(() =>
        verifyRequest(request, contextFor('DIVECTORVECTORVECTOR', skey, datable ? inputs.date : null)),
      );
      assert.equal(code, verdict === 'accepts' ? undefined : 40105);
    });
  }
});

describe("the sandbox's parameter line on Duo's parameter vectors", () => {
  const skey = 'paramsecretparamsecretparamsecretparam00';
  const date = 'Tue, 21 Aug 2012 17:29:18 -0000';
  for (const vector of vectors.param_canonicalization) {
    it(`encodes ${vector.id}, and verifies a GET whose query carries it form-encoded`, () => {
      assert.equal(paramsLine(vector.params), vector.expected);
      const text = [date, 'GET', 'api-test.duosecurity.com', '/auth/v2/check', vector.expected].join('\n');
      const hex = createHmac('sha512', skey).update(text, 'utf8').digest('hex');
      const request: SignedRequest = {
        method: 'GET',
        path: '/auth/v2/check',
        host: 'api-test.duosecurity.com',
        headers: { authorization: [basic('DIPARAMSPARAMSPARAM1', hex)], date: [date] },
        query: wireForm(vector.params),
        rawBody: Buffer.alloc(0),
      };
      assert.equal(
        duoCode(() => verifyRequest(request, contextFor('DIPARAMSPARAMSPARAM1', skey, date))),
        undefined,
      );
    });
  }

  for (const vector of vectors.sha512_reference_hashes) {
    it(`hashes ${vector.id}`, () => {
      // The header-canonical inputs spell their NUL separators as the four characters `\x00`.
      assert.equal(sha512Of(vector.input.replaceAll('\\x00', '\0')), vector.sha512_hex);
    });
  }
});
