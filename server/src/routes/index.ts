import { ACTIONS } from '../permissions';

const can = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
});

export const routes = {
  admin: {
    type: 'admin',
    routes: [
      { method: 'GET', path: '/info', handler: 'info.get', config: { policies: ['admin::isAuthenticatedAdmin'] } },
      { method: 'GET', path: '/settings', handler: 'settings.get', config: can(ACTIONS.settingsRead) },
      { method: 'PUT', path: '/settings', handler: 'settings.update', config: can(ACTIONS.settingsUpdate) },
      { method: 'POST', path: '/settings/check', handler: 'settings.check', config: can(ACTIONS.settingsUpdate) },
    ],
  },
};
