import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertNoToken,
  dataOf,
  errorOf,
  expectDuoRequired,
  expectToken,
  isRecord,
  jwtPayload,
} from '../helpers/client-answers';
import {
  createClient,
  enableDuoForClient,
  eventually,
  login,
  startClientsHarness,
  step,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { assertNoSecretsKept, auditEntries } from '../helpers/plugin-rows';
import {
  ADMIN_REFRESH_COOKIE,
  adminLogin,
  adminLoginWithPasscode,
  adminMe,
  adminRow,
  adminTokenDuo,
  adminTokenUserId,
  createAdmin,
  expectAdminDuoRequired,
  expectAdminSession,
  mintAdminSession,
  mintPlainAdminToken,
  newAdminCredentials,
  renewAdminSession,
  roleId,
  setStaffSettings,
  signAdminToken,
  staffStep,
  turnOnStaffDuo,
  type Admin,
} from '../helpers/staff';
import { defaultHost } from '../helpers/strapi';
import { DEFAULT_ADMIN } from '../helpers/users';

/**
 * Issue 5, "bypass matrix" for staff: for an administrator who must use Duo, no admin path (login, register-admin,
 * register, reset-password, renew-token) yields a usable token; a token without the Duo claim is refused; the admin
 * Duo step ends in exactly what the admin login answers. (register-admin: staff-register-admin.test.ts.)
 */

let h: ClientsHarness;
// The host decides which tests exist (renewal differs per major), before `h` is booted.
const HOST = defaultHost();
/** The harness's super admin (needs no Duo while enforcement is optional). */
let superId: number;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true, enforcement: 'optional' } });
  superId = adminTokenUserId(h.app, h.adminToken);
});
after(async () => {
  await h?.close();
});

/** A session of the super admin that passed Duo (works under every enforcement). */
const superToken = () => mintAdminSession(h.app, superId, 'allow');

interface Subject {
  readonly admin: Admin;
  /** A session that passed Duo (carries the claim). */
  duoToken: string;
}

/** forgot-password as the admin app uses it; the code is read from the user row (and is the one in the email). */
async function resetCode(admin: Admin): Promise<string> {
  const sent = h.emails.length;
  const response = await h.app.api('/admin/forgot-password', { body: { email: admin.email } });
  assert.equal(response.status, 204, JSON.stringify(response.body));
  // Strapi answers before it has stored the code and sent the email.
  let code: unknown;
  for (let i = 0; i < 100 && typeof code !== 'string'; i += 1) {
    code = (await adminRow(h.strapi, admin.id)).resetPasswordToken;
    if (typeof code !== 'string') await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(typeof code, 'string');
  await eventually(
    () => (h.emails.slice(sent).some((email) => email.to === admin.email) ? true : undefined),
    3000,
    'the reset email',
  );
  assert.ok(h.emails.slice(sent).some((email) => email.to === admin.email && email.text?.includes(code as string)));
  return code as string;
}

/** Invites an administrator through the admin API, as a super admin does; returns the registration token. */
async function invite(token: string): Promise<{ id: number; email: string; registrationToken: string }> {
  const credentials = newAdminCredentials('invited');
  const response = await h.app.api('/admin/users', {
    token,
    body: {
      firstname: credentials.firstname,
      lastname: credentials.lastname,
      email: credentials.email,
      roles: [await roleId(h.strapi, 'strapi-editor')],
    },
  });
  assert.ok(response.status === 201 || response.status === 200, JSON.stringify(response.body));
  const data = (response.body as { data: { id: number; registrationToken: string } }).data;
  assert.equal(typeof data.registrationToken, 'string');
  return { id: data.id, email: credentials.email, registrationToken: data.registrationToken };
}

function acceptInvite(registrationToken: string) {
  return h.app.api('/admin/register', {
    body: { registrationToken, userInfo: { firstname: 'Invited', lastname: 'Admin', password: 'Invited-Passw0rd' } },
  });
}

/** The paths every Duo-required administrator gets, whatever made Duo required. */
function everyPath(mode: string, setup: () => Promise<Subject>, teardown: () => Promise<void>): void {
  describe(mode, () => {
    let s: Subject;
    before(async () => {
      s = await setup();
    });
    after(teardown);

    it('POST /admin/login answers with a Duo step (400 DuoRequiredError), not a token', async () => {
      const required = expectAdminDuoRequired(await adminLogin(h.app, s.admin.email, s.admin.password));
      assert.equal(required.duo.result, 'auth');
      const ttl = Date.parse(required.expiresAt) - Date.now();
      assert.ok(ttl > 290_000 && ttl <= 300_000, `default lifetime 5 minutes, got ${ttl} ms`);
      // The password is still checked first, with Strapi's own answer.
      const wrong = errorOf(await adminLogin(h.app, s.admin.email, 'Wrong-Passw0rd1'), 400);
      assert.equal(wrong.name, 'ApplicationError');
      assert.equal(wrong.message, 'Invalid credentials');
    });

    it('the step id is not a session', async () => {
      const { stepId } = expectAdminDuoRequired(await adminLogin(h.app, s.admin.email, s.admin.password));
      assert.equal((await adminMe(h.app, stepId)).status, 401);
      assert.equal((await h.app.api('/duo-security/me', { token: stepId })).status, 401);
      // Nor does it renew one, through Strapi's renewal of either major.
      if (h.app.host === 'v4') {
        const renewed = await h.app.api('/admin/renew-token', { body: { token: stepId } });
        assertNoToken(renewed);
        assert.equal(errorOf(renewed, 400).message, 'Invalid token');
      } else {
        const renewed = await renewAdminSession(h.app, {
          token: stepId,
          refreshCookie: `${ADMIN_REFRESH_COOKIE}=${stepId}`,
        });
        assertNoToken(renewed);
        assert.equal(errorOf(renewed, 401).name, 'UnauthorizedError');
      }
    });

    it('a token without the Duo claim (minted by another path) is refused with 401; the Duo session works', async () => {
      const plain = await mintAdminSession(h.app, s.admin.id);
      const other = await mintAdminSession(h.app, s.admin.id, 'pending');
      // Strapi 4 tokens name the administrator by a number; Strapi 5 access tokens always by a string.
      const stringId = h.app.host === 'v4' ? [signAdminToken(h.strapi, { id: String(s.admin.id) })] : [];
      for (const token of [plain, other, ...stringId]) {
        assert.equal((await adminMe(h.app, token)).status, 401);
        assert.equal((await h.app.api('/duo-security/me', { token })).status, 401);
        assert.equal((await h.app.api('/duo-security/info', { token })).status, 401);
        assert.equal((await h.app.api('/admin/users?page=1', { token })).status, 401);
      }
      assert.equal((await adminMe(h.app, s.duoToken)).status, 200);
      assert.equal((await h.app.api('/duo-security/me', { token: s.duoToken })).status, 200);
    });

    // renew-token exists on Strapi 4 only; Strapi 5 renews through the refresh cookie (the next test).
    if (HOST === 'v4')
      it('renew-token keeps the Duo claim and never upgrades a token without it', async () => {
        const plain = mintPlainAdminToken(h.strapi, s.admin.id);
        const refused = await h.app.api('/admin/renew-token', { body: { token: plain } });
        assertNoToken(refused);
        const error = errorOf(refused, 400);
        assert.equal(error.name, 'ValidationError');
        assert.equal(error.message, 'Invalid token');
        // A token naming no administrator is no session either.
        const nobody = signAdminToken(h.strapi, { sub: 'x' });
        assert.equal(
          errorOf(await h.app.api('/admin/renew-token', { body: { token: nobody } }), 400).message,
          'Invalid token',
        );

        const claim = jwtPayload(s.duoToken).duo;
        const renewed = await h.app.api('/admin/renew-token', { body: { token: s.duoToken } });
        assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
        const data = (renewed.body as { data: Record<string, unknown> }).data;
        assert.deepEqual(Object.keys(data), ['token']);
        const token = String(data.token);
        assert.equal(jwtPayload(token).duo, claim);
        assert.equal(jwtPayload(token).id, s.admin.id);
        assert.equal((await adminMe(h.app, token)).status, 200);
      });

    if (HOST === 'v5')
      it('access-token (the refresh cookie) renews a Duo session with its mark; a step id renews nothing', async () => {
        const session = await adminLoginWithPasscode(h, s.admin);
        const renewed = await renewAdminSession(h.app, session);
        assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
        const data = (renewed.body as { data: Record<string, unknown> }).data;
        assert.deepEqual(Object.keys(data), ['token']);
        const token = String(data.token);
        assert.notEqual(token, session.token);
        // Strapi rotated the session: the new row carries the mark of the one it replaced.
        assert.equal(await adminTokenDuo(h.app, token), 'allow');
        assert.equal(adminTokenUserId(h.app, token), s.admin.id);
        assert.equal((await adminMe(h.app, token)).status, 200);
        // The cookie is single-use: renewing with it again gets nothing.
        const again = await renewAdminSession(h.app, session);
        assertNoToken(again);
        assert.equal(again.status, 401);
      });

    it('POST /admin/reset-password answers with a Duo step, not a token', async () => {
      const code = await resetCode(s.admin);
      const password = `${s.admin.password}r`;
      const response = await h.app.api('/admin/reset-password', { body: { resetPasswordToken: code, password } });
      expectAdminDuoRequired(response, 'reset-password');
      // Strapi's own step ran: the password changed and the code is spent; signing in still needs Duo.
      s.admin.password = password;
      assert.equal((await adminRow(h.strapi, s.admin.id)).resetPasswordToken, null);
      expectAdminDuoRequired(await adminLogin(h.app, s.admin.email, s.admin.password));
    });

    it('the admin Duo step ends in { data: { token, user } }, like the login it finishes', async () => {
      const required = expectAdminDuoRequired(await adminLogin(h.app, s.admin.email, s.admin.password));
      const pending = dataOf(await staffStep(h.app, 'status', { step: required.stepId, wait: false }));
      assert.equal(pending.state, 'pending');
      const passcode = h.sandbox.currentPasscode(s.admin.email);
      const answer = expectAdminSession(
        h.app,
        await staffStep(h.app, 'passcode', { step: required.stepId, passcode }),
        'step',
      );
      assert.equal(await adminTokenDuo(h.app, answer.token), 'allow');
      assert.equal(adminTokenUserId(h.app, answer.token), s.admin.id);
      assert.equal(answer.user.id, s.admin.id);
      assert.equal(answer.user.email, s.admin.email);
      for (const secret of ['password', 'resetPasswordToken', 'registrationToken'])
        assert.ok(!(secret in answer.user), secret);
      // The same user shape as Strapi's own login answer (the harness admin needs no Duo while it is optional).
      if (mode.includes('optional')) {
        const plainLogin = expectAdminSession(
          h.app,
          await adminLogin(h.app, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password),
        );
        assert.deepEqual(Object.keys(answer.user).sort(), Object.keys(plainLogin.user).sort());
      }
      const me = await adminMe(h.app, answer.token);
      assert.equal(me.status, 200);
      assert.equal((me.body as { data: { email: string } }).data.email, s.admin.email);
      // The finished step is spent.
      const again = await staffStep(h.app, 'status', { step: required.stepId });
      assert.equal(errorOf(again, 400).name, 'DuoStepError');
    });
  });
}

everyPath(
  'Duo turned on by the administrator (enforcement optional)',
  async () => {
    const admin = await createAdmin(h);
    const first = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password), 'before Duo');
    assert.equal(await adminTokenDuo(h.app, first.token), undefined);
    const duoToken = await turnOnStaffDuo(h, admin, first.token);
    // The session from before Duo ended.
    assert.equal((await adminMe(h.app, first.token)).status, 401);
    return { admin, duoToken };
  },
  async () => undefined,
);

everyPath(
  'enforcement required (the administrator never turned Duo on)',
  async () => {
    const admin = await createAdmin(h);
    await setStaffSettings(h.strapi, { enforcement: 'required' });
    return { admin, duoToken: (await adminLoginWithPasscode(h, admin)).token };
  },
  async () => {
    await setStaffSettings(h.strapi, { enforcement: 'optional' });
  },
);

describe('invite acceptance (POST /admin/register)', () => {
  it('enforcement required: a Duo step, not a token; the step finishes the registration', async () => {
    await setStaffSettings(h.strapi, { enforcement: 'required' });
    try {
      const invited = await invite(await superToken());
      h.sandbox.addUser({ username: invited.email });
      const required = expectAdminDuoRequired(await acceptInvite(invited.registrationToken), 'register');
      // Strapi's own step ran: the account is active and the registration token spent.
      const row = await adminRow(h.strapi, invited.id);
      assert.equal(row.isActive, true);
      assert.equal(row.registrationToken, null);
      const passcode = h.sandbox.currentPasscode(invited.email);
      const answer = expectAdminSession(h.app, await staffStep(h.app, 'passcode', { step: required.stepId, passcode }));
      assert.equal(answer.user.id, invited.id);
      assert.equal((await adminMe(h.app, answer.token)).status, 200);
      // The harness admin's claim-less session is refused while enforcement requires Duo.
      assert.equal((await adminMe(h.app, h.adminToken)).status, 401);
    } finally {
      await setStaffSettings(h.strapi, { enforcement: 'optional' });
    }
  });

  it('enforcement optional: an invited administrator (no Duo yet) registers as without the plugin', async () => {
    const invited = await invite(h.adminToken);
    const answer = expectAdminSession(h.app, await acceptInvite(invited.registrationToken), 'register');
    assert.equal(await adminTokenDuo(h.app, answer.token), undefined);
    assert.equal((await adminMe(h.app, answer.token)).status, 200);
  });
});

describe('what Duo says at the password step', () => {
  it('a Duo bypass user: the normal answer with a token claimed "bypass", audited', async () => {
    const admin = await createAdmin(h, { duo: { status: 'bypass' } });
    await (
      h.strapi.plugin('duo-security').service('enrollments') as {
        enable(a: string, id: number, u: string): Promise<unknown>;
      }
    ).enable('staff', admin.id, admin.email);
    const answer = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password), 'bypass');
    assert.equal(await adminTokenDuo(h.app, answer.token), 'bypass');
    assert.equal((await adminMe(h.app, answer.token)).status, 200);
    const events = (await auditEntries(h.strapi, { userId: admin.id, audience: 'staff' })).map((e) => e.event);
    assert.ok(events.includes('login.bypass'), events.join());
  });

  it('Duo refuses the user: 400 DuoDeniedError, no token', async () => {
    const admin = await createAdmin(h, { duo: { status: 'locked_out' } });
    await setStaffSettings(h.strapi, { enforcement: 'required' });
    try {
      const response = await adminLogin(h.app, admin.email, admin.password);
      assertNoToken(response);
      assert.equal(errorOf(response, 400).name, 'DuoDeniedError');
    } finally {
      await setStaffSettings(h.strapi, { enforcement: 'optional' });
    }
  });

  it('Duo unreachable: fail closed refuses (400, never 401); fail open admits with claim "fail-open", audited', async () => {
    const admin = await createAdmin(h);
    await setStaffSettings(h.strapi, { enforcement: 'required', failMode: 'closed' });
    try {
      h.sandbox.setFault({ kind: 'status', status: 503, path: '/auth/v2/preauth' });
      const closed = await adminLogin(h.app, admin.email, admin.password);
      assertNoToken(closed);
      assert.equal(errorOf(closed, 400).name, 'DuoUnavailableError');

      await setStaffSettings(h.strapi, { failMode: 'open' });
      const open = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password), 'fail-open');
      assert.equal(await adminTokenDuo(h.app, open.token), 'fail-open');
      assert.equal((await adminMe(h.app, open.token)).status, 200);
      const entries = await auditEntries(h.strapi, { userId: admin.id, event: 'login.fail-open' });
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.audience, 'staff');
    } finally {
      h.sandbox.clearFaults();
      await setStaffSettings(h.strapi, { enforcement: 'optional', failMode: 'closed' });
    }
  });
});

describe('the admin Duo step', () => {
  it('Duo Push: pushed, approved on the phone, then { data: { token, user } }', async () => {
    const admin = await createAdmin(h);
    const first = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password));
    await turnOnStaffDuo(h, admin, first.token);
    const { stepId } = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    const pushed = dataOf(await staffStep(h.app, 'push', { step: stepId }));
    assert.equal(pushed.state, 'waiting');
    const push = await eventually(
      () => h.sandbox.pendingPushes().find((p) => p.username === admin.email),
      3000,
      'the push',
    );
    assert.equal(push.pushinfo.audience, 'staff');
    h.sandbox.approve(push.txid);
    let status = await staffStep(h.app, 'status', { step: stepId });
    for (
      let i = 0;
      i < 3 && isRecord(status.body) && isRecord(status.body.data) && status.body.data.state === 'waiting';
      i += 1
    )
      status = await staffStep(h.app, 'status', { step: stepId });
    const answer = expectAdminSession(h.app, status, 'push approved');
    assert.equal(await adminTokenDuo(h.app, answer.token), 'allow');
    assert.equal((await adminMe(h.app, answer.token)).status, 200);
  });

  it('a step is bound to its audience: clients’ on the admin routes and staff’s on the client routes are unknown', async () => {
    const client = await createClient(h);
    await enableDuoForClient(h, client, expectToken(await login(h.app, client.email, client.password)).jwt);
    const clientStep = expectDuoRequired(await login(h.app, client.email, client.password));
    const admin = await createAdmin(h);
    const first = expectAdminSession(h.app, await adminLogin(h.app, admin.email, admin.password));
    await turnOnStaffDuo(h, admin, first.token);
    const adminStep = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));

    for (const action of ['status', 'push', 'passcode', 'cancel', 'enroll', 'sms', 'phone'] as const) {
      const body =
        action === 'passcode'
          ? { step: clientStep.stepId, passcode: h.sandbox.currentPasscode(client.duoUsername) }
          : { step: clientStep.stepId };
      const onAdmin = errorOf(await staffStep(h.app, action, body), 400);
      assert.equal(onAdmin.name, 'DuoStepError', action);
      assert.deepEqual(onAdmin.details, { state: 'unknown' }, action);
      const backBody =
        action === 'passcode'
          ? { step: adminStep.stepId, passcode: h.sandbox.currentPasscode(admin.email) }
          : { step: adminStep.stepId };
      const onClient = errorOf(await step(h.app, action, backBody), 400);
      assert.equal(onClient.name, 'DuoStepError', action);
      assert.deepEqual(onClient.details, { state: 'unknown' }, action);
    }
    // Both steps are still usable where they belong.
    expectToken(
      await step(h.app, 'passcode', {
        step: clientStep.stepId,
        passcode: h.sandbox.currentPasscode(client.duoUsername),
      }),
    );
    expectAdminSession(
      h.app,
      await staffStep(h.app, 'passcode', {
        step: adminStep.stepId,
        passcode: h.sandbox.currentPasscode(admin.email),
      }),
    );
  });

  it('no token, step id or passcode is kept in the database or the logs', async () => {
    const counted = await assertNoSecretsKept(h);
    assert.ok(counted.stepIds > 5 && counted.jwts > 5, JSON.stringify(counted));
  });
});
