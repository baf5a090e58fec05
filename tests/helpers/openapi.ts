import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { printFigure } from './figures';
import { REPO_ROOT } from './strapi';

/**
 * The OpenAPI 3.1 document of the client API (docs/openapi/client-api.json) as the tests use it: every answer a
 * test receives is checked against the schema the document gives for its path, method and status, with a JSON
 * Schema 2020-12 validator (OpenAPI 3.1's dialect), and counted, so a test can say which documented answers no
 * request produced.
 */

export const DOCUMENT_FILE = join(REPO_ROOT, 'docs', 'openapi', 'client-api.json');
const DOCUMENT_ID = 'https://strapi-plugin-duo-security.invalid/client-api.json';
/** The document's top-level fields, which are no JSON Schema keywords: known to the validator, not checked by it. */
const OPENAPI_FIELDS = ['openapi', 'jsonSchemaDialect', 'info', 'servers', 'paths', 'components', 'tags', 'security'];
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function loadDocument(): JsonObject {
  const document: unknown = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8'));
  assert.ok(isObject(document), 'the document is a JSON object');
  return document;
}

/** A JSON pointer (`#/a/b~1c`) inside the document; undefined where nothing is. */
export function resolvePointer(document: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: Json | undefined = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    else return undefined;
  }
  return node;
}

export function pointerTo(...keys: string[]): string {
  return `#/${keys.map((key) => key.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** Every `$ref` in the document, with where it is. */
export function refsIn(value: Json, at = '#'): Array<{ at: string; ref: string }> {
  if (Array.isArray(value)) return value.flatMap((item, index) => refsIn(item, `${at}/${index}`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string'
      ? [{ at, ref: child }]
      : refsIn(child, `${at}/${pointerTo(key).slice(2)}`),
  );
}

/** A JSON Schema 2020-12 validator that knows the document (so `#/components/...` references resolve). */
export function documentValidator(document: JsonObject): Ajv2020 {
  // strict: an unknown keyword (a typo) is an error; types may be left to the keywords that imply them.
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  addFormats(ajv);
  ajv.addVocabulary(OPENAPI_FIELDS);
  ajv.addSchema(document, DOCUMENT_ID);
  return ajv;
}

export function compileAt(ajv: Ajv2020, pointer: string): ValidateFunction {
  return ajv.getSchema(`${DOCUMENT_ID}${pointer}`) ?? ajv.compile({ $ref: `${DOCUMENT_ID}${pointer}` });
}

/** The response object for a status (following a `$ref` to components.responses), and where it is. */
export function responseAt(document: JsonObject, path: string, method: string, status: string) {
  let pointer = pointerTo('paths', path, method, 'responses', status);
  let response = resolvePointer(document, pointer);
  if (isObject(response) && typeof response.$ref === 'string') {
    pointer = response.$ref;
    response = resolvePointer(document, pointer);
  }
  return { pointer, response: isObject(response) ? response : undefined };
}

/** The named schemas an answer may be (the `oneOf` branches, or the one `$ref`), as references. */
function branchesOf(schema: Json | undefined): string[] {
  if (isObject(schema) && typeof schema.$ref === 'string') return [schema.$ref];
  if (!isObject(schema) || !Array.isArray(schema.oneOf)) return [];
  return schema.oneOf.map((branch) => (isObject(branch) && typeof branch.$ref === 'string' ? branch.$ref : ''));
}

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Checks real answers against the document, and counts which documented answer each was: its status and the named
 * schema it matched.
 */
export class Contract {
  readonly document = loadDocument();
  private readonly ajv = documentValidator(this.document);
  private readonly seen = new Map<string, number>();

  /** Asserts that `answer` is what the document says `method path` answers with its status; returns its kind. */
  check(method: string, path: string, answer: Answer, what = `${method.toUpperCase()} ${path}`): string {
    const text = `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`;
    const operation = resolvePointer(this.document, pointerTo('paths', path, method));
    assert.ok(isObject(operation), `${text}: the document has no ${method.toUpperCase()} ${path}`);
    const status =
      isObject(operation.responses) && String(answer.status) in operation.responses ? answer.status : 'default';
    const { pointer, response } = responseAt(this.document, path, method, String(status));
    assert.ok(response !== undefined, `${text}: the document has no answer ${status}`);
    const content = isObject(response.content) ? response.content['application/json'] : undefined;
    let kind = '-';
    if (content === undefined) {
      // A redirect's body is Koa's "Redirecting to …" text: no JSON answer is promised, and none may come.
      assert.ok(
        !isObject(answer.body) && !Array.isArray(answer.body),
        `${text}: the document gives this answer no JSON`,
      );
    } else {
      const schemaPointer = `${pointer}/content/application~1json/schema`;
      const validate = compileAt(this.ajv, schemaPointer);
      assert.ok(
        validate(answer.body),
        `${text}\n  does not match ${schemaPointer}: ${describeErrors(validate.errors)}`,
      );
      const matched = branchesOf(resolvePointer(this.document, schemaPointer)).filter((ref) =>
        compileAt(this.ajv, ref)(answer.body),
      );
      if (matched.length > 0) kind = matched.map((ref) => ref.split('/').pop()).join('|');
    }
    if (isObject(answer.body) && isObject(answer.body.error) && 'status' in answer.body.error) {
      assert.equal(answer.body.error.status, answer.status, `${text}: the envelope repeats the HTTP status`);
    }
    const key = `${method.toUpperCase()} ${path} ${status} ${kind}`;
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    return kind;
  }

  /** Asserts that `value` is the document's named schema (`components.schemas`); the `oneOf` branches it matched. */
  checkSchema(name: string, value: unknown, what: string): string[] {
    const pointer = pointerTo('components', 'schemas', name);
    const validate = compileAt(this.ajv, pointer);
    assert.ok(validate(value), `${what}: ${JSON.stringify(value)} is no ${name}: ${describeErrors(validate.errors)}`);
    const matched = branchesOf(resolvePointer(this.document, pointer)).filter((ref) => compileAt(this.ajv, ref)(value));
    return matched.map((ref) => ref.split('/').pop() ?? '');
  }

  /**
   * Every documented answer (but `default`) as `METHOD path status kind`: `kind` is a named schema the answer may be
   * (a `oneOf` branch or the one `$ref`), `-` where there is none (a redirect).
   */
  documented(): string[] {
    const keys: string[] = [];
    const paths = isObject(this.document.paths) ? this.document.paths : {};
    for (const [path, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!isObject(operation) || !isObject(operation.responses)) continue;
        for (const status of Object.keys(operation.responses).filter((s) => s !== 'default')) {
          const { pointer, response } = responseAt(this.document, path, method, status);
          const schema = resolvePointer(this.document, `${pointer}/content/application~1json/schema`);
          const kinds = response?.content === undefined ? ['-'] : branchesOf(schema).map((r) => r.split('/').pop());
          for (const kind of kinds.length > 0 ? kinds : ['-'])
            keys.push(`${method.toUpperCase()} ${path} ${status} ${kind}`);
        }
      }
    }
    return keys;
  }

  /**
   * Fails unless every documented answer `include` selects was received, but those `exempt` names (with why): the
   * document promises no answer that the tests did not get from a real Strapi.
   */
  assertCovered(label: string, include: (answer: string) => boolean, exempt: ReadonlyMap<string, string>): void {
    const documented = this.documented().filter(include);
    const missing = documented.filter((key) => !this.seen.has(key) && !exempt.has(key));
    assert.deepEqual(missing, [], `documented answers no request produced:\n  ${missing.join('\n  ')}`);
    const stale = [...exempt.keys()].filter((key) => !documented.includes(key));
    assert.deepEqual(stale, [], 'exemptions of answers the document does not list');
    const answers = [...this.seen.values()].reduce((sum, n) => sum + n, 0);
    const seen = documented.filter((key) => this.seen.has(key)).length;
    const counts = `${seen} of ${documented.length} documented answers seen, ${exempt.size} exempt on this host`;
    printFigure(`openapi ${label}`, `${answers} answers validated; ${counts}`);
  }
}
