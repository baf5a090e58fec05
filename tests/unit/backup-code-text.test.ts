import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  backupCodeMatches,
  hashBackupCode,
  newBackupCode,
  normaliseBackupCode,
} from '../../server/src/engine/backup-code-text';

describe('backup codes as text', () => {
  it('are XXXXX-XXXXX in Crockford base32, and do not repeat', () => {
    const codes = Array.from({ length: 500 }, newBackupCode);
    for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    assert.equal(new Set(codes).size, codes.length);
  });

  it('forgive case, spaces, dashes and the letters that look like digits; refuse anything else', () => {
    assert.equal(normaliseBackupCode('abcde fghjk'), 'ABCDE-FGHJK');
    assert.equal(normaliseBackupCode(' 0o1il-23456 '), '00111-23456');
    for (const bad of ['ABCDE-FGHJ', 'ABCDE-FGHJKM', 'ABCDE-FGHJU', 'ABCDE_FGHJK', '', 'x'.repeat(41)]) {
      assert.equal(normaliseBackupCode(bad), undefined, bad);
    }
  });

  it('are stored as salted scrypt hashes that match only their own code', async () => {
    const code = newBackupCode();
    const [first, second] = await Promise.all([hashBackupCode(code), hashBackupCode(code)]);
    assert.notEqual(first, second, 'each hash has its own salt');
    assert.match(first, /^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.ok(!first.includes(code) && !first.includes(code.replace('-', '')));
    assert.equal(await backupCodeMatches(code, first), true);
    assert.equal(await backupCodeMatches(newBackupCode(), first), false);
    assert.equal(await backupCodeMatches(code, first.replace('$16384$', '$1024$')), false, 'other parameters');
    assert.equal(await backupCodeMatches(code, 'plain'), false);
  });
});
