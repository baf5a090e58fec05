import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';

import { DuoAuthClient } from '../../server/src/duo/client';
import { DuoError } from '../../server/src/duo/errors';

const SECRET = 'S3cr3tK3yS3cr3tK3yS3cr3tK3yS3cr3tK3yAbCd';

describe('the Secret Key stays inside the client', () => {
  it('is absent from JSON.stringify, util.inspect and String()', async () => {
    const client = new DuoAuthClient({
      integrationKey: 'DIABCDEFGHIJKLMNOPQR',
      secretKey: SECRET,
      apiHostname: 'api-1a2b3c4d.duosecurity.com',
      production: true,
    });
    try {
      for (const text of [JSON.stringify(client), inspect(client, { depth: 10, showHidden: true }), String(client)]) {
        assert.ok(!text.includes(SECRET), `leaked in: ${text.slice(0, 200)}`);
      }
      assert.match(JSON.stringify(client), /DIABCDEFGHIJKLMNOPQR/);
    } finally {
      await client.close();
    }
  });

  it('is absent from configuration errors', () => {
    for (const apiHostname of ['http://evil.example', '']) {
      try {
        new DuoAuthClient({ integrationKey: 'DIABCDEFGHIJKLMNOPQR', secretKey: SECRET, apiHostname, production: true });
        assert.fail('accepted');
      } catch (error) {
        assert.ok(error instanceof DuoError);
        assert.equal(error.reason, 'config');
        assert.ok(!error.message.includes(SECRET));
        assert.ok(!JSON.stringify(error).includes(SECRET));
      }
    }
  });

  it('refuses malformed keys up front', () => {
    assert.throws(
      () => new DuoAuthClient({ integrationKey: 'DI:colon', secretKey: SECRET, apiHostname: 'api-1.duosecurity.com' }),
      /Integration Key/,
    );
    assert.throws(
      () =>
        new DuoAuthClient({
          integrationKey: 'DIABCDEFGHIJKLMNOPQR',
          secretKey: 'a\nb',
          apiHostname: 'api-1.duosecurity.com',
        }),
      /Secret Key/,
    );
  });
});
