import { ACTIONS } from '../permissions';
import { stepPageRoutes } from '../staff/step-page/routes';

const can = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
});

// Public: the opaque transaction id in the body is the only key to a Duo step.
const PUBLIC = { auth: false, policies: [] } as const;
// Authenticated by the client's users-permissions JWT, verified like any request (Duo claim included).
const CLIENT = { auth: false, policies: ['plugin::duo-security.is-client'] } as const;

const clientStep = ['push', 'phone', 'sms', 'passcode', 'status', 'enroll', 'cancel'].map((action) => ({
  method: 'POST',
  path: `/step/${action}`,
  handler: `client-step.${action}`,
  config: PUBLIC,
}));

export const routes = {
  admin: {
    type: 'admin',
    routes: [
      { method: 'GET', path: '/info', handler: 'info.get', config: { policies: ['admin::isAuthenticatedAdmin'] } },
      { method: 'GET', path: '/settings', handler: 'settings.get', config: can(ACTIONS.settingsRead) },
      { method: 'PUT', path: '/settings', handler: 'settings.update', config: can(ACTIONS.settingsUpdate) },
      { method: 'POST', path: '/settings/check', handler: 'settings.check', config: can(ACTIONS.settingsUpdate) },
      // The page the admin login form hands the Duo step to (/duo-security/login), and its files.
      ...stepPageRoutes,
    ],
  },
  'content-api': {
    type: 'content-api',
    routes: [
      ...clientStep,
      { method: 'GET', path: '/me', handler: 'client-account.status', config: CLIENT },
      { method: 'POST', path: '/me/enable', handler: 'client-account.enable', config: CLIENT },
      { method: 'POST', path: '/me/disable', handler: 'client-account.disable', config: CLIENT },
    ],
  },
};
