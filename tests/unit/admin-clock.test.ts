import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { clockDirection, formatOffset } from '../../admin/shared/utils/clock';

describe('the clock offset shown on the settings page', () => {
  it("is said to the second, as precise as Duo's clock (its Date header), never in milliseconds", () => {
    assert.equal(formatOffset(0), 'under 1 s');
    assert.equal(formatOffset(386), 'under 1 s');
    assert.equal(formatOffset(-999), 'under 1 s');
    assert.equal(formatOffset(1_000), '1 s');
    assert.equal(formatOffset(-12_400), '12 s');
    assert.equal(formatOffset(59_600), '1 min');
    assert.equal(formatOffset(603_000), '10 min 3 s');
    assert.equal(formatOffset(7_500_000), '2 h 5 min');
    assert.equal(formatOffset(3_600_000), '1 h');
  });

  it('says in step below a second, else which way the server is off', () => {
    assert.equal(clockDirection(999), 'in-step');
    assert.equal(clockDirection(5_000), 'behind');
    assert.equal(clockDirection(-5_000), 'ahead');
  });
});
