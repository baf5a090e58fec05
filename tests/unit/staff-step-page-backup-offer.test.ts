import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

// The step page's modules are ES modules served to the browser as they are; these tests load them the same way.
type Session = typeof import('../../server/src/staff/step-page/public/session.mjs', {
  with: { 'resolution-mode': 'import' },
});
type BackupCode = typeof import('../../server/src/staff/step-page/public/backup-code.mjs', {
  with: { 'resolution-mode': 'import' },
});
let session: Session;
let backupCode: BackupCode;
before(async () => {
  session = await import('../../server/src/staff/step-page/public/session.mjs');
  backupCode = await import('../../server/src/staff/step-page/public/backup-code.mjs');
});

const AUTH = { result: 'auth', devices: [], factors: ['passcode'], verifiedPush: false };

/** The step's `duo` as the page reads it (from the login's hand-off or a step answer), then whether it offers a code. */
function offered(duo: Record<string, unknown>): boolean {
  const read = session.readDuoOptions(duo);
  assert.ok(read !== null, JSON.stringify(duo));
  return backupCode.offersBackupCode(read);
}

describe('the admin Duo step page: "Lost your phone? Use a backup code" only where a code can finish the step', () => {
  it("keeps the server's `backupCodes` when it is a boolean, and nothing else", () => {
    assert.equal(session.readDuoOptions({ result: 'enroll', backupCodes: false })?.backupCodes, false);
    assert.equal(session.readDuoOptions({ ...AUTH, backupCodes: true })?.backupCodes, true);
    assert.equal(session.readDuoOptions({ ...AUTH, backupCodes: 'false' })?.backupCodes, undefined);
    assert.equal(session.readDuoOptions({ result: 'enroll' })?.backupCodes, undefined);
  });

  it('not to an account the server says has none (one enrolling inside its sign-in)', () => {
    assert.equal(offered({ result: 'enroll', backupCodes: false }), false);
    assert.equal(offered({ ...AUTH, backupCodes: false }), false);
  });

  it('to an account with codes, also when Duo asks it to enrol again; and when the server does not say', () => {
    assert.equal(offered({ ...AUTH, backupCodes: true }), true);
    assert.equal(offered({ result: 'enroll', backupCodes: true }), true);
    // A step opened by an older server: the form stays, as before, rather than hiding someone's only way in.
    assert.equal(offered(AUTH), true);
  });

  it('always while Duo is out of reach, never under the Universal Prompt', () => {
    assert.equal(offered({ result: 'unavailable' }), true);
    assert.equal(
      offered({ result: 'universal', authorizeUrl: 'https://api-1.duosecurity.com/oauth/v1/authorize' }),
      false,
    );
  });
});
