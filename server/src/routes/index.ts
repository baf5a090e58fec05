import { ACTIONS } from '../permissions';
import { stepPageRoutes } from '../staff/step-page/routes';

const can = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
});

// Public: the opaque step id in the body is the only key to a Duo step.
const PUBLIC = { auth: false, policies: [] } as const;
// Authenticated by the client's users-permissions JWT, verified like any request (Duo claim included).
const CLIENT = { auth: false, policies: ['plugin::duo-security.is-client'] } as const;
// Any signed-in administrator (admin JWT, Duo claim check included), for their own account.
const ADMIN = { policies: ['admin::isAuthenticatedAdmin'] } as const;

const STEP_ACTIONS = [
  'push',
  'phone',
  'sms',
  'passcode',
  'backup-code',
  'postpone',
  'status',
  'enroll',
  'cancel',
  'complete',
] as const;
// Duo's Universal Prompt sends the browser back here; the state Duo echoes is the key.
const universalCallbackRoute = (controller: 'client-universal' | 'staff-universal') => ({
  method: 'GET',
  path: '/universal/callback',
  handler: `${controller}.callback`,
  config: PUBLIC,
});
const stepRoutes = (controller: 'client-step' | 'staff-step') =>
  STEP_ACTIONS.map((action) => ({
    method: 'POST',
    path: `/step/${action}`,
    handler: `${controller}.${action}`,
    config: PUBLIC,
  }));

export const routes = {
  admin: {
    type: 'admin',
    routes: [
      { method: 'GET', path: '/info', handler: 'info.get', config: ADMIN },
      { method: 'GET', path: '/settings', handler: 'settings.get', config: can(ACTIONS.settingsRead) },
      { method: 'PUT', path: '/settings', handler: 'settings.update', config: can(ACTIONS.settingsUpdate) },
      { method: 'GET', path: '/settings/roles', handler: 'settings.roles', config: can(ACTIONS.settingsRead) },
      { method: 'POST', path: '/settings/check', handler: 'settings.check', config: can(ACTIONS.settingsUpdate) },
      // The admin Duo step after the password (/duo-security/step/*), keyed by the staff step id.
      ...stepRoutes('staff-step'),
      universalCallbackRoute('staff-universal'),
      // The page the admin login form hands the Duo step to (/duo-security/login), and its files.
      ...stepPageRoutes,
      { method: 'GET', path: '/me', handler: 'staff-account.status', config: ADMIN },
      { method: 'POST', path: '/me/enable', handler: 'staff-account.enable', config: ADMIN },
      { method: 'POST', path: '/me/disable', handler: 'staff-account.disable', config: ADMIN },
      { method: 'POST', path: '/me/backup-codes', handler: 'staff-account.backupCodes', config: ADMIN },
      { method: 'GET', path: '/me/devices', handler: 'staff-account.devices', config: ADMIN },
      { method: 'GET', path: '/users', handler: 'users.list', config: can(ACTIONS.usersRead) },
      { method: 'POST', path: '/users/reset', handler: 'users.reset', config: can(ACTIONS.usersReset) },
      { method: 'GET', path: '/audit', handler: 'audit.list', config: can(ACTIONS.auditRead) },
      { method: 'GET', path: '/audit/export', handler: 'audit.exportCsv', config: can(ACTIONS.auditRead) },
    ],
  },
  'content-api': {
    type: 'content-api',
    routes: [
      ...stepRoutes('client-step'),
      universalCallbackRoute('client-universal'),
      { method: 'GET', path: '/me', handler: 'client-account.status', config: CLIENT },
      { method: 'POST', path: '/me/enable', handler: 'client-account.enable', config: CLIENT },
      { method: 'POST', path: '/me/disable', handler: 'client-account.disable', config: CLIENT },
      { method: 'POST', path: '/me/backup-codes', handler: 'client-account.backupCodes', config: CLIENT },
      { method: 'GET', path: '/me/devices', handler: 'client-account.devices', config: CLIENT },
    ],
  },
};
