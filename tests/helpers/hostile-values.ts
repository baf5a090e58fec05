import fc from 'fast-check';

/**
 * Hostile values for property-based tests of HTTP endpoints: JSON values with prototype-pollution and operator
 * keys, wrong types, huge and odd strings, and step ids of every shape.
 */

/** A JSON object as a list of entries, so keys like `__proto__` and duplicate keys reach the wire as written. */
export class Entries {
  constructor(readonly entries: ReadonlyArray<readonly [string, Node]>) {}
}
export type Node = null | boolean | number | string | readonly Node[] | Entries;

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const OPERATOR_KEYS = ['$ne', '$gt', '$in', '$where', '$or', '$null', 'a.b', '', ' ', '0', '[]'] as const;

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  `${'A'.repeat(42)}\u0000`,
  '\ud800',
  '\udfff\ud800',
  '\u202e\u200b\ufeff',
  '😀'.repeat(43),
  'é'.repeat(43),
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  "' OR 1=1 --",
  '"; DROP TABLE duo_security_transactions; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  'null',
  'undefined',
  'true',
  'NaN',
  '-1',
  '0x10',
  '1e999',
  '\r\n\r\nHTTP/1.1 200 OK',
] as const;

/** Strings that break things: control characters, lone surrogates, unicode, injection text, huge ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 1, arbitrary: fc.constantFrom('A'.repeat(10_000), '9'.repeat(100_000), 'é\u0000'.repeat(20_000)) },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1, -1, 2 ** 53 + 1, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, Infinity, -Infinity, NaN),
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...OPERATOR_KEYS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

export const scalar: fc.Arbitrary<Node> = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString);

/** Any JSON value (nested a few levels) with hostile keys and scalars. */
export const hostileJson: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(hostileKey, tie('node')), { maxLength: 4 }).map((entries) => new Entries(entries)),
    },
  ),
})).node;

/**
 * An object body for an endpoint whose fields are known: some of them (each with a value from its own arbitrary,
 * well-formed or not), sometimes with extra hostile keys. Fields missing from `fields` are not sent.
 */
export function objectWith(fields: Readonly<Record<string, fc.Arbitrary<Node>>>): fc.Arbitrary<Entries> {
  const names = Object.keys(fields);
  const known = names.length === 0 ? fc.constant([]) : fc.subarray(names);
  return fc
    .tuple(
      known.chain((chosen) =>
        chosen.length === 0
          ? fc.constant([] as Array<readonly [string, Node]>)
          : fc.tuple(...chosen.map((name) => fields[name]!.map((value) => [name, value] as const))),
      ),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant([] as Array<readonly [string, Node]>) },
        { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, hostileJson), { minLength: 1, maxLength: 2 }) },
      ),
    )
    .map(([chosen, extra]) => new Entries([...chosen, ...extra]));
}

/** The value of a known field: a plausible one (from `valid`), a wrong type, or anything at all. */
export function field(...valid: Array<fc.Arbitrary<Node>>): fc.Arbitrary<Node> {
  return fc.oneof(
    ...valid.map((arbitrary) => ({ weight: 4, arbitrary })),
    { weight: 2, arbitrary: scalar },
    { weight: 1, arbitrary: hostileJson },
    { weight: 1, arbitrary: fc.constant(new Entries([['$ne', null]])) },
  );
}

export const STEP_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const base64url = (length: number) =>
  fc.string({ unit: fc.constantFrom(...STEP_ID_CHARS), minLength: length, maxLength: length });

/**
 * Step ids of every shape: well-formed ones of no step, real ones (`live()` reads the current pool: open,
 * used up, denied), real ones one character off, too short or long, with padding, case-swapped, URL-encoded.
 */
export function anyStepId(live: () => readonly string[]): fc.Arbitrary<Node> {
  const real = fc.nat().map((i) => {
    const pool = live();
    return pool[i % pool.length] ?? 'A'.repeat(43);
  });
  return fc.oneof(
    { weight: 3, arbitrary: base64url(43) },
    { weight: 3, arbitrary: real },
    {
      weight: 2,
      arbitrary: fc.tuple(real, fc.nat(42), fc.constantFrom(...STEP_ID_CHARS)).map(([id, at, c]) => {
        return `${id.slice(0, at)}${c}${id.slice(at + 1)}`;
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(real, fc.constantFrom('short', 'long', 'pad', 'case', 'encode', 'nul', 'double')).map(
        ([id, how]) =>
          ({
            short: id.slice(0, 42),
            long: `${id}A`,
            pad: ` ${id}\n`,
            case: id.replace(/[a-z]/g, (c) => c.toUpperCase()),
            encode: encodeURIComponent(`${id}==`),
            nul: `${id}\u0000`,
            double: `${id}${id}`,
          })[how] ?? id,
      ),
    },
    { weight: 1, arbitrary: fc.oneof(base64url(0), base64url(1), base64url(44), base64url(512)) },
    { weight: 1, arbitrary: real.map((id) => [id] as Node) },
  );
}
