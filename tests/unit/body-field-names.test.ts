import assert from 'node:assert/strict';
import { it } from 'node:test';

import { statusSchema, STATUS_SHAPE } from '../../server/src/controllers/step-schemas';
import { validateBody } from '../../server/src/utils/validate-body';

/*
 * A body field named like an Object.prototype member (`hasOwnProperty`, `constructor`, `__proto__`…) is an unknown
 * field like any other: found by the hostile fuzz as a 500 (`{"hasOwnProperty":{"caller":""}}` on /step/status,
 * where reading `caller` of the inherited function throws).
 */
for (const name of ['hasOwnProperty', 'constructor', 'toString', 'valueOf', '__proto__']) {
  it(`"${name}" with an object inside is a 400 unknown field, not a TypeError`, async () => {
    const body = JSON.parse(`{"${name}":{"caller":"","arguments":""}}`) as unknown;
    await assert.rejects(validateBody(body, STATUS_SHAPE, statusSchema), {
      name: 'ValidationError',
      message: `Unknown field "${name}"`,
    });
  });
}
