import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The official signing vectors (tests/fixtures/duo-sign-vectors.json), typed; only `expected` is authoritative. */
export interface VectorInputs {
  readonly date: string | null;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly params: Record<string, string[]>;
  readonly body: string | null;
  readonly x_duo_headers: Record<string, string> | null;
}

export interface SignVectors {
  readonly param_canonicalization: ReadonlyArray<{
    readonly id: string;
    readonly params: Record<string, string[]>;
    readonly expected: string;
  }>;
  readonly canonical_request: ReadonlyArray<{
    readonly id: string;
    readonly sig_version: 1 | 2 | 4 | 5;
    readonly inputs: VectorInputs;
    readonly expected_canonical: string;
  }>;
  readonly signature: ReadonlyArray<{
    readonly id: string;
    readonly sig_version: 2 | 5;
    readonly hmac: 'HMAC-SHA1' | 'HMAC-SHA512';
    readonly inputs: VectorInputs & { readonly ikey: string; readonly skey: string };
    readonly expected: { readonly hex_signature?: string; readonly authorization?: string };
    readonly wire?: { readonly headers_sent_besides_authorization?: Record<string, string> } | null;
  }>;
  readonly sha512_reference_hashes: ReadonlyArray<{
    readonly id: string;
    readonly input: string;
    readonly sha512_hex: string;
  }>;
}

export function loadSignVectors(): SignVectors {
  const path = process.env.DUO_SIGN_VECTORS ?? join(__dirname, '..', 'fixtures', 'duo-sign-vectors.json');
  return JSON.parse(readFileSync(path, 'utf8')) as SignVectors;
}
