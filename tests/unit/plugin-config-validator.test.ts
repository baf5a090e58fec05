import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { config } from '../../server/src/config';

describe('config/plugins validator (a typo must stop Strapi, not silently turn 2FA off)', () => {
  it('accepts a complete, correct configuration', () => {
    config.validator({
      encryptionKey: 'a-long-enough-encryption-key',
      settings: {
        activated: true,
        integrationKey: 'DIABCDEFGHIJKLMNOPQR',
        secretKey: 'A'.repeat(40),
        apiHostname: 'api-1a2b3c4d.duosecurity.com',
        staff: { enabled: true, enforcement: 'required', failMode: 'closed', usernameSource: 'email' },
        clients: { enabled: false },
      },
      signatureVersion: 5,
      settingsCacheSeconds: 5,
      maxPromptsPerStep: 3,
      lookup: (_host: string, _options: object, callback: () => void) => callback(),
      duoCallTimeoutMs: 3000,
      statusWaitMs: 3000,
    });
    config.validator({ encryptionKey: null });
    config.validator({ clientUsernamePrefix: 'shop.example-', settings: { clients: { usernameSource: 'email' } } });
  });

  it('names the offending option', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ setings: {} }, /setings/],
      [{ settings: { activate: true } }, /activate/],
      [{ settings: { staff: { enforcment: 'required' } } }, /enforcment/],
      [{ settings: { staff: { enforcement: 'always' } } }, /staff\.enforcement/],
      [{ settings: { activated: 'true' } }, /settings\.activated/],
      [{ settings: { integrationKey: 'DIshort' } }, /settings\.integrationKey/],
      [{ signatureVersion: 4 }, /signatureVersion/],
      [{ encryptionKey: 'short' }, /encryptionKey/],
      // Clients choose their username at registration: it can never name their Duo user.
      [{ settings: { clients: { usernameSource: 'username' } } }, /clients\.usernameSource/],
      [{ settings: { staff: { usernameSource: 'id' } } }, /staff\.usernameSource/],
      // "@" or "\\" would let Duo's username normalization cut the prefix off.
      [{ clientUsernamePrefix: 'site@' }, /clientUsernamePrefix/],
      [{ clientUsernamePrefix: 'corp\\' }, /clientUsernamePrefix/],
      [{ clientUsernamePrefix: '' }, /clientUsernamePrefix/],
      // At least one push or call per step, and few: each one reaches the person's phone.
      [{ maxPromptsPerStep: 0 }, /maxPromptsPerStep/],
      [{ maxPromptsPerStep: 11 }, /maxPromptsPerStep/],
      [{ maxPromptsPerStep: 2.5 }, /maxPromptsPerStep/],
      [{ maxPromptsPerStep: '3' }, /maxPromptsPerStep/],
      [{ maxPromtsPerStep: 3 }, /maxPromtsPerStep/],
      // A deadline too short fails every login; too long holds a login page on a dead Duo.
      [{ duoCallTimeoutMs: 999 }, /duoCallTimeoutMs/],
      [{ duoCallTimeoutMs: 30_001 }, /duoCallTimeoutMs/],
      [{ statusWaitMs: 25_001 }, /statusWaitMs/],
      [{ lookup: '8.8.8.8' }, /lookup/],
    ];
    for (const [value, pattern] of cases) {
      assert.throws(() => config.validator(value), pattern, JSON.stringify(value));
    }
  });

  it('does not quote a malformed Secret Key in its message', () => {
    const secret = 'x'.repeat(39);
    assert.throws(
      () => config.validator({ settings: { secretKey: secret } }),
      (error: Error) => !error.message.includes(secret) && /secretKey/.test(error.message),
    );
  });
});
