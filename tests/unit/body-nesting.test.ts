import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertNotTooDeep, MAX_BODY_DEPTH, nestedDeeperThan } from '../../server/src/utils/nesting';
import { validateBody } from '../../server/src/utils/validate-body';
import { stepIdSchema } from '../../server/src/controllers/step-schemas';

const nest = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
};

describe('request bodies nested too deeply', () => {
  it('are measured without recursion, at the limit and far beyond it', () => {
    assert.equal(nestedDeeperThan({ staff: { enabled: true } }, MAX_BODY_DEPTH), false);
    assert.equal(nestedDeeperThan(nest(MAX_BODY_DEPTH), MAX_BODY_DEPTH), false);
    assert.equal(nestedDeeperThan(nest(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH), true);
    assert.equal(nestedDeeperThan(nest(1_000_000), MAX_BODY_DEPTH), true);
    assert.doesNotThrow(() => assertNotTooDeep({ step: 'x' }));
  });

  it("are a 400 ValidationError, not yup's stack overflow (a 500)", async () => {
    // Without the guard, yup's type error prints the value recursively and overflows the stack.
    await assert.rejects(validateBody({ step: nest(10_000) }, { step: true }, stepIdSchema), {
      name: 'ValidationError',
      message: `The request body is nested more than ${MAX_BODY_DEPTH} levels deep`,
    });
  });
});
