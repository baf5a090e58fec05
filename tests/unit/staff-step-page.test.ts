import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { isGatedRequest, readDuoRequired } from '../../admin/shared/glue/duoRequired';
import { createDuoStepMiddleware, readGatedRejection } from '../../admin/shared/glue/gatedRejection';
import type { StorageLike } from '../../server/src/staff/step-page/public/session.mjs' with {
  'resolution-mode': 'import',
};

// The step page's modules are ES modules served to the browser as they are; these tests load them the same way.
type Session = typeof import('../../server/src/staff/step-page/public/session.mjs', {
  with: { 'resolution-mode': 'import' },
});
let stepPage: Session;
before(async () => {
  stepPage = await import('../../server/src/staff/step-page/public/session.mjs');
});

const ORIGIN = 'https://cms.example.com';
const STEP_ID = 'a'.repeat(43);

class MemoryStorage implements StorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

function storedStep(step: unknown): MemoryStorage {
  const storage = new MemoryStorage();
  storage.setItem(stepPage.STEP_KEY, JSON.stringify(step));
  return storage;
}

const AUTH = { result: 'auth', devices: [], factors: ['passcode'], verifiedPush: false };

describe('the admin Duo step page: where a sign-in may go (open redirect)', () => {
  it('goes to a path inside the admin, with its query and fragment', () => {
    assert.equal(
      stepPage.targetAfterSignIn('/admin', '/settings/duo-security', ORIGIN),
      '/admin/settings/duo-security',
    );
    assert.equal(
      stepPage.targetAfterSignIn('/admin', '/content-manager?page=2#top', ORIGIN),
      '/admin/content-manager?page=2#top',
    );
    assert.equal(stepPage.targetAfterSignIn('/dashboard/', '/me', ORIGIN), '/dashboard/me');
  });

  for (const hostile of [
    '//evil.example/x',
    '/\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/../../elsewhere',
    '/%2e%2e/%2e%2e/elsewhere',
    '\t//evil.example',
    '/a\nb',
    '/auth/login',
  ]) {
    it(`refuses ${JSON.stringify(hostile)} and goes to the admin home`, () => {
      assert.equal(stepPage.targetAfterSignIn('/admin', hostile, ORIGIN), '/admin');
    });
  }

  it('goes home without a redirectTo', () => {
    assert.equal(stepPage.targetAfterSignIn('/admin', null, ORIGIN), '/admin');
    assert.equal(stepPage.targetAfterSignIn('/', undefined, ORIGIN), '/');
  });

  it('Back to sign-in keeps a valid redirectTo, drops a hostile one', () => {
    assert.equal(stepPage.signInUrl('/admin', '/settings', ORIGIN), '/admin/auth/login?redirectTo=%2Fsettings');
    assert.equal(stepPage.signInUrl('/admin', '//evil.example', ORIGIN), '/admin/auth/login');
    assert.equal(stepPage.signInUrl('/admin', null, ORIGIN), '/admin/auth/login');
  });
});

describe('the admin Duo step page: the step handed over in sessionStorage', () => {
  it('reads a well-formed step', () => {
    const step = stepPage.readStep(
      storedStep({
        step: { id: STEP_ID, expiresAt: '2030-01-01T00:00:00.000Z' },
        duo: AUTH,
        rememberMe: true,
      }),
    );
    assert.equal(step?.step.id, STEP_ID);
    assert.equal(step?.rememberMe, true);
    assert.equal(step?.redirectTo, null);
  });

  it("keeps a required role's grace period, well-formed only", () => {
    const read = (grace: unknown) =>
      stepPage.readStep(storedStep({ step: { id: STEP_ID }, duo: { result: 'enroll', grace } }))?.duo.grace;
    assert.deepEqual(read({ loginsLeft: 2 }), { loginsLeft: 2 });
    const until = '2030-01-03T00:00:00.000Z';
    assert.deepEqual(read({ daysLeft: 3, until, extra: 'x' }), { daysLeft: 3, until });
    assert.equal(read({ daysLeft: '3', until }), undefined);
    assert.equal(read({ loginsLeft: 1.5 }), undefined);
    assert.equal(read(undefined), undefined);
  });

  it('refuses a malformed step id, an unknown verdict, or no step at all', () => {
    assert.equal(stepPage.readStep(new MemoryStorage()), null);
    assert.equal(stepPage.readStep(storedStep({ step: { id: 'short' }, duo: AUTH })), null);
    assert.equal(stepPage.readStep(storedStep({ step: { id: `${STEP_ID}/` }, duo: AUTH })), null);
    assert.equal(stepPage.readStep(storedStep({ step: { id: STEP_ID }, duo: { result: 'allow' } })), null);
    const broken = new MemoryStorage();
    broken.setItem(stepPage.STEP_KEY, '{not json');
    assert.equal(stepPage.readStep(broken), null);
  });

  it('keeps only http(s) links from the enrolment (never javascript:)', () => {
    const step = stepPage.readStep(
      storedStep({
        step: { id: STEP_ID },
        duo: {
          result: 'enroll',
          enrollPortalUrl: 'javascript:alert(1)',
          activation: {
            qrCodeUrl: 'data:image/png;base64,AAAA',
            activationUrl: 'https://m-1.duosecurity.com/activate/x',
            activationCode: 'duo://x',
          },
        },
      }),
    );
    assert.deepEqual(step?.duo, { result: 'enroll' });
  });

  it('shows the login page logo only from data: or this origin', () => {
    const fallback = `${ORIGIN}/duo-security/login/logo.svg`;
    assert.equal(
      stepPage.logoSource('data:image/svg+xml,%3csvg/%3e', ORIGIN, fallback),
      'data:image/svg+xml,%3csvg/%3e',
    );
    assert.equal(stepPage.logoSource('/uploads/logo.png', ORIGIN, fallback), `${ORIGIN}/uploads/logo.png`);
    assert.equal(stepPage.logoSource('https://tracker.example/pixel.png', ORIGIN, fallback), fallback);
    assert.equal(stepPage.logoSource('javascript:alert(1)', ORIGIN, fallback), fallback);
    assert.equal(stepPage.logoSource(null, ORIGIN, fallback), fallback);
  });
});

describe('the admin Duo step page: the session it stores, as Strapi stores it', () => {
  it('"Remember me": the token in localStorage', () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    stepPage.storeAdminSession({ token: 'jwt', user: { id: 1 }, rememberMe: true }, { local, session });
    assert.equal(local.getItem('jwtToken'), '"jwt"');
    assert.equal(session.getItem('jwtToken'), null);
    assert.equal(local.getItem('userInfo'), '{"id":1}');
  });

  it('otherwise sessionStorage, and an older remembered token goes (the admin reads localStorage first)', () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    local.setItem('jwtToken', '"old"');
    stepPage.storeAdminSession({ token: 'jwt', user: { id: 1 }, rememberMe: false }, { local, session });
    assert.equal(local.getItem('jwtToken'), null);
    assert.equal(session.getItem('jwtToken'), '"jwt"');
    assert.equal(local.getItem('userInfo'), '{"id":1}');
  });

  it('Strapi 5, "Remember me": the token in localStorage and the logged-in flag, no user copy', () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    stepPage.storeAdminSession({ token: 'jwt', user: { id: 1 }, rememberMe: true }, { local, session }, 5);
    assert.equal(local.getItem('jwtToken'), '"jwt"');
    assert.equal(local.getItem('isLoggedIn'), 'true');
    assert.equal(local.getItem('userInfo'), null);
    assert.equal(session.getItem('jwtToken'), null);
  });

  it('Strapi 5, otherwise nothing in storage (the server set the cookie) and an older remembered token goes', () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    local.setItem('jwtToken', '"old"');
    stepPage.storeAdminSession({ token: 'jwt', user: { id: 1 }, rememberMe: false }, { local, session }, 5);
    assert.equal(local.getItem('jwtToken'), null);
    assert.equal(session.getItem('jwtToken'), null);
    assert.equal(local.getItem('isLoggedIn'), 'true');
  });
});

describe('the Strapi 5 admin glue: which dispatched actions hand the sign-in to the step page', () => {
  const duoRequired = {
    status: 400,
    name: 'DuoRequiredError',
    message: 'Two-factor authentication with Duo is required to finish signing in.',
    details: { step: { id: STEP_ID, expiresAt: null }, duo: { result: 'auth', devices: [], factors: ['passcode'] } },
  };
  const rejected = (endpointName: string, originalArgs: unknown, payload: unknown = duoRequired) => ({
    type: 'adminApi/executeMutation/rejected',
    payload,
    meta: { arg: { type: 'mutation', endpointName, originalArgs } },
  });

  it('a refused login, register, first-admin registration or password reset, with the login\'s "Remember me"', () => {
    const login = readGatedRejection(rejected('login', { email: 'a@b.c', password: 'x', rememberMe: true }));
    assert.deepEqual(login, { error: duoRequired, rememberMe: true });
    assert.ok(readDuoRequired({ error: login?.error }) !== null);
    for (const endpoint of ['registerAdmin', 'registerUser', 'resetPassword']) {
      assert.deepEqual(readGatedRejection(rejected(endpoint, { password: 'x' })), {
        error: duoRequired,
        rememberMe: false,
      });
    }
  });

  it('ignores other endpoints, other actions and malformed ones', () => {
    assert.equal(readGatedRejection(rejected('forgotPassword', {})), null);
    assert.equal(readGatedRejection(rejected('updateMe', {})), null);
    assert.equal(readGatedRejection({ ...rejected('login', {}), type: 'adminApi/executeMutation/fulfilled' }), null);
    assert.equal(readGatedRejection({ type: 'adminApi/executeMutation/rejected' }), null);
    assert.equal(readGatedRejection(null), null);
    assert.equal(readGatedRejection('login'), null);
  });

  it('hands a Duo step over once the action went on, and only a Duo step', () => {
    const order: string[] = [];
    const handed: Array<[string, boolean]> = [];
    const dispatch = createDuoStepMiddleware((required, rememberMe) => {
      order.push('hand-off');
      handed.push([required.step.id, rememberMe]);
    })()({})((action) => {
      order.push(String((action as { type: string }).type));
      return 'next';
    });
    assert.equal(dispatch(rejected('login', { rememberMe: true })), 'next');
    assert.deepEqual(order, ['adminApi/executeMutation/rejected', 'hand-off']);
    dispatch(rejected('login', {}, { status: 400, name: 'ValidationError', message: 'Invalid credentials' }));
    dispatch(rejected('resetPassword', {}));
    assert.deepEqual(handed, [
      [STEP_ID, true],
      [STEP_ID, false],
    ]);
  });

  it('never throws into the store when the hand-off fails', () => {
    const dispatch = createDuoStepMiddleware(() => {
      throw new Error('no sessionStorage');
    })()({})(() => 'next');
    assert.equal(dispatch(rejected('login', {})), 'next');
  });
});

describe('the admin glue: which answers hand the login to the step page', () => {
  const page = `${ORIGIN}/admin/auth/login`;

  it('follows POSTs to the four admin token paths on Strapi itself', () => {
    for (const path of ['/admin/login', '/admin/register-admin', '/admin/register', '/admin/reset-password']) {
      assert.equal(isGatedRequest('POST', `${ORIGIN}${path}`, page, ORIGIN), true, path);
      assert.equal(isGatedRequest('post', path, page, ORIGIN), true, path);
    }
    assert.equal(isGatedRequest('POST', `${ORIGIN}/cms/admin/login`, page, `${ORIGIN}/cms`), true);
  });

  it('leaves everything else alone', () => {
    assert.equal(isGatedRequest('GET', `${ORIGIN}/admin/login`, page, ORIGIN), false);
    assert.equal(isGatedRequest('POST', `${ORIGIN}/admin/renew-token`, page, ORIGIN), false);
    assert.equal(isGatedRequest('POST', `${ORIGIN}/admin/forgot-password`, page, ORIGIN), false);
    assert.equal(isGatedRequest('POST', 'https://elsewhere.example/admin/login', page, ORIGIN), false);
  });

  it('reads only a well-formed "Duo required" answer', () => {
    const details = { step: { id: STEP_ID, expiresAt: '2030-01-01T00:00:00.000Z' }, duo: AUTH };
    const body = { data: null, error: { status: 400, name: 'DuoRequiredError', message: 'm', details } };
    assert.deepEqual(readDuoRequired(body)?.step, details.step);
    assert.equal(readDuoRequired({ error: { ...body.error, name: 'ApplicationError' } }), null);
    assert.equal(readDuoRequired({ error: { ...body.error, details: { ...details, step: { id: 'x' } } } }), null);
    assert.equal(
      readDuoRequired({ error: { ...body.error, details: { ...details, duo: { result: 'allow' } } } }),
      null,
    );
    assert.equal(readDuoRequired({ data: { token: 't' } }), null);
    assert.equal(readDuoRequired('not json'), null);
  });
});
