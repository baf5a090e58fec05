import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as engineErrors from '../../server/src/engine/errors';
import { routes } from '../../server/src/routes';
import {
  compileAt,
  documentValidator,
  HTTP_METHODS,
  isObject,
  loadDocument,
  pointerTo,
  refsIn,
  resolvePointer,
  responseAt,
  type JsonObject,
} from '../helpers/openapi';

/**
 * docs/openapi/client-api.json as an OpenAPI 3.1 document: its references resolve, every operation answers with
 * described, schema-typed bodies that compile as JSON Schema 2020-12, and it lists exactly the plugin's content-api
 * routes (a route added to server/src/routes without its documentation fails here). The answers themselves are
 * checked against it on both hosts by tests/integration/client-api-contract-*.test.ts.
 */

const document = loadDocument();
const paths = document.paths as JsonObject;

function operations(): Array<{ path: string; method: string; operation: JsonObject }> {
  return Object.entries(paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => isObject(item) && isObject(item[method])).map((method) => ({
      path,
      method,
      operation: (item as JsonObject)[method] as JsonObject,
    })),
  );
}

describe('the client API document', () => {
  it('is OpenAPI 3.1 with the JSON Schema 2020-12 dialect, an info block, servers and paths', () => {
    assert.match(String(document.openapi), /^3\.1\.\d+$/);
    assert.equal(document.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(isObject(document.info) && typeof document.info.title === 'string');
    assert.equal(typeof (document.info as JsonObject).version, 'string');
    assert.ok(Array.isArray(document.servers) && document.servers.length > 0);
    assert.ok(Object.keys(paths).length > 0);
  });

  it("passes the OpenAPI Initiative's own 3.1 schema", async () => {
    // The official meta-schema (bundled by @seriousme/openapi-schema-validator), not only this file's own checks:
    // a missing description, a misspelt keyword or a wrong type anywhere in the document fails here.
    // An ES module only: imported where it is used, as this test file is CommonJS.
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    assert.equal(validator.version, '3.1');
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
  });

  it('every $ref resolves inside the document', () => {
    const refs = refsIn(document);
    assert.ok(refs.length > 50, `only ${refs.length} references`);
    const broken = refs.filter(({ ref }) => resolvePointer(document, ref) === undefined);
    assert.deepEqual(broken, []);
  });

  it('every operation has a unique operationId, tags, a summary and described answers with JSON schemas', () => {
    const ids = new Set<string>();
    for (const { path, method, operation } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.equal(typeof operation.operationId, 'string', where);
      assert.ok(!ids.has(String(operation.operationId)), `${where}: operationId used twice`);
      ids.add(String(operation.operationId));
      assert.ok(Array.isArray(operation.tags) && operation.tags.length > 0, where);
      assert.equal(typeof operation.summary, 'string', where);
      assert.ok(isObject(operation.responses) && Object.keys(operation.responses).length > 0, where);
      for (const status of Object.keys(operation.responses)) {
        assert.match(status, /^([1-5][0-9]{2}|default)$/, `${where}: answer "${status}"`);
        const { response } = responseAt(document, path, method, status);
        assert.ok(response !== undefined, `${where} ${status}: no response object`);
        assert.equal(typeof response.description, 'string', `${where} ${status}: no description`);
        // Only a redirect answers without a body.
        if (!status.startsWith('3')) {
          const schema = isObject(response.content) ? response.content['application/json'] : undefined;
          assert.ok(isObject(schema) && schema.schema !== undefined, `${where} ${status}: no JSON schema`);
        }
      }
      if (operation.requestBody !== undefined) {
        const content = (operation.requestBody as JsonObject).content;
        assert.ok(isObject(content) && isObject(content['application/json']), `${where}: request body`);
      }
    }
  });

  it('declares every path parameter', () => {
    for (const { path, method, operation } of operations()) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const declared = (Array.isArray(operation.parameters) ? operation.parameters : [])
        .filter((p) => isObject(p) && p.in === 'path' && p.required === true)
        .map((p) => (p as JsonObject).name);
      assert.deepEqual(declared.sort(), inPath.sort(), `${method.toUpperCase()} ${path}`);
    }
  });

  it('every schema compiles as JSON Schema 2020-12 (strict: an unknown keyword is an error)', () => {
    const ajv = documentValidator(document);
    const components = document.components as JsonObject;
    const pointers = [
      ...Object.keys(components.schemas as JsonObject).map((name) => pointerTo('components', 'schemas', name)),
      ...Object.keys(components.responses as JsonObject).map(
        (name) => `${pointerTo('components', 'responses', name)}/content/application~1json/schema`,
      ),
      ...operations().flatMap(({ path, method }) => schemasOf(pointerTo('paths', path, method))),
    ];
    assert.ok(pointers.length > 40, `only ${pointers.length} schemas`);
    for (const pointer of pointers) assert.doesNotThrow(() => compileAt(ajv, pointer), pointer);
  });

  it("lists exactly the plugin's content-api routes under /duo-security", () => {
    const routed = routes['content-api'].routes.map((route) => `${route.method} /duo-security${route.path}`).sort();
    const documented = operations()
      .filter(({ path }) => path.startsWith('/duo-security/'))
      .map(({ path, method }) => `${method.toUpperCase()} ${path}`)
      .sort();
    assert.deepEqual(documented, routed);
  });

  it('names every Duo error the engine answers with, each with its exact details', () => {
    const names = Object.values(engineErrors)
      .filter((value): value is typeof engineErrors.DuoStepError => typeof value === 'function')
      .map((error) => error.name);
    assert.ok(names.length >= 6, names.join(', '));
    for (const name of names) {
      const body = resolvePointer(document, pointerTo('components', 'schemas', `${name}Body`));
      assert.ok(isObject(body), `no ${name}Body schema`);
      assert.deepEqual((body.properties as JsonObject).name, { const: name });
      assert.ok(isObject(resolvePointer(document, pointerTo('components', 'schemas', name))), `no ${name} envelope`);
    }
  });
});

/** Where an operation's own schemas are: its request body's and its inline answers'. */
function schemasOf(at: string): string[] {
  const json = '/content/application~1json/schema';
  const candidates = [`${at}/requestBody${json}`];
  const responses = resolvePointer(document, `${at}/responses`);
  for (const status of isObject(responses) ? Object.keys(responses) : [])
    candidates.push(`${at}/responses/${status}${json}`);
  return candidates.filter((pointer) => resolvePointer(document, pointer) !== undefined);
}
