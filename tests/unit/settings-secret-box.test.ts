import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createSecretBox } from '../../server/src/settings/secret-box';

const SECRET = 'SecretKeyThatMustNeverLeakAnywhere000001';

describe('Secret Key encryption at rest', () => {
  it('round-trips, and the ciphertext does not contain the secret', () => {
    const box = createSecretBox('an encryption key from the environment');
    const sealed = box.seal(SECRET);
    assert.ok(!sealed.includes(SECRET));
    assert.match(sealed, /^duo1:/);
    assert.equal(box.open(sealed), SECRET);
  });

  it('uses a fresh nonce each time', () => {
    const box = createSecretBox('an encryption key from the environment');
    assert.notEqual(box.seal(SECRET), box.seal(SECRET));
  });

  it('cannot be opened with another key (the encryption key changed)', () => {
    const sealed = createSecretBox('the old encryption key, rotated').seal(SECRET);
    assert.equal(createSecretBox('the new encryption key, rotated').open(sealed), undefined);
  });

  it('detects tampering', () => {
    const box = createSecretBox('an encryption key from the environment');
    const [prefix, iv, tag, data] = box.seal(SECRET).split(':') as [string, string, string, string];
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    assert.equal(box.open([prefix, iv, tag, flipped.toString('base64url')].join(':')), undefined);
    assert.equal(box.open('plaintext-from-an-old-version'), undefined);
  });

  it('refuses a short encryption key', () => {
    assert.throws(() => createSecretBox('short'), /at least 16/);
  });
});
