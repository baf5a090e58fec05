import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { checkConnection } from '../../server/src/settings/connection-check';
import { makeTestCa, type TestCa } from '../helpers/test-ca';

let ca: TestCa;
let expired: DuoSandbox;

before(async () => {
  ca = makeTestCa();
  expired = await startDuoSandbox({ port: 0, tls: ca.issue({ expired: true }) });
});
after(async () => {
  await expired.close();
});

describe('"Test connection" with a certificate that fails verification', () => {
  it('says the certificate was refused and why it may be, not an unexplained error', async () => {
    const result = await checkConnection(
      { integrationKey: expired.ikey, secretKey: expired.skey, apiHostname: `https://localhost:${expired.port}` },
      { production: false, ca: ca.ca },
    );
    assert.equal(result.ok, false);
    assert.equal(result.outcome, 'unreachable');
    assert.match(result.message, /TLS certificate was refused \(CERT_HAS_EXPIRED/);
    assert.match(result.message, /expired, for another host name, or from a CA this server does not trust/);
    assert.ok(!result.message.includes(expired.skey), 'no secret in the message');
  });
});
