import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import {
  canonicalize,
  canonicalParams,
  sha512Hex,
  sign,
  type CanonicalVersion,
  type SignatureVersion,
} from '../../server/src/duo/signing';

// A copy of shared/duo/sign-vectors.json. The vectors are copied from Duo's official client test suites; only `expected` is authoritative.
interface VectorInputs {
  date: string | null;
  method: string;
  host: string;
  path: string;
  params: Record<string, string[]>;
  body: string | null;
  x_duo_headers: Record<string, string> | null;
}
interface Vectors {
  param_canonicalization: Array<{ id: string; params: Record<string, string[]>; expected: string }>;
  canonical_request: Array<{
    id: string;
    sig_version: CanonicalVersion;
    inputs: VectorInputs;
    expected_canonical: string;
  }>;
  signature: Array<{
    id: string;
    sig_version: SignatureVersion;
    hmac: 'HMAC-SHA1' | 'HMAC-SHA512';
    inputs: VectorInputs & { ikey: string; skey: string };
    expected: { hex_signature?: string; authorization?: string };
  }>;
  sha512_reference_hashes: Array<{ id: string; input: string; sha512_hex: string }>;
}

const vectorsPath = process.env.DUO_SIGN_VECTORS ?? join(__dirname, '..', 'fixtures', 'duo-sign-vectors.json');
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8')) as Vectors;

function canonicalInput(inputs: VectorInputs) {
  return {
    date: inputs.date,
    method: inputs.method,
    host: inputs.host,
    path: inputs.path,
    params: inputs.params,
    body: inputs.body,
    xDuoHeaders: inputs.x_duo_headers,
  };
}

describe("Duo's published signing vectors", () => {
  it('has every family of vectors', () => {
    assert.equal(vectors.param_canonicalization.length, 12);
    assert.equal(vectors.canonical_request.length, 10);
    assert.equal(vectors.signature.length, 15);
    assert.equal(vectors.sha512_reference_hashes.length, 8);
  });

  for (const vector of vectors.param_canonicalization) {
    it(`canonicalises parameters: ${vector.id}`, () => {
      assert.equal(canonicalParams(vector.params), vector.expected);
    });
  }

  for (const vector of vectors.canonical_request) {
    it(`builds the canonical request: ${vector.id}`, () => {
      assert.equal(canonicalize(vector.sig_version, canonicalInput(vector.inputs)), vector.expected_canonical);
    });
  }

  for (const vector of vectors.signature) {
    it(`signs: ${vector.id}`, () => {
      const { inputs } = vector;
      const signature = sign(
        vector.sig_version,
        { ...canonicalInput(inputs), integrationKey: inputs.ikey, secretKey: inputs.skey },
        vector.hmac === 'HMAC-SHA1' ? 'sha1' : 'sha512',
      );
      assert.ok(vector.expected.hex_signature ?? vector.expected.authorization, 'vector has an expectation');
      if (vector.expected.hex_signature) assert.equal(signature.hexSignature, vector.expected.hex_signature);
      if (vector.expected.authorization) assert.equal(signature.authorization, vector.expected.authorization);
    });
  }

  for (const vector of vectors.sha512_reference_hashes) {
    it(`hashes: ${vector.id}`, () => {
      // The header-canonical inputs spell their NUL separators as the four characters `\x00`.
      assert.equal(sha512Hex(vector.input.replaceAll('\\x00', '\0')), vector.sha512_hex);
    });
  }
});
