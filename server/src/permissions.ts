import type { Strapi } from '@strapi/strapi';

/** RBAC actions, declared once; route policies and the admin page refer to them by uid. */
export const ACTIONS = {
  settingsRead: 'plugin::duo-security.settings.read',
  settingsUpdate: 'plugin::duo-security.settings.update',
  usersRead: 'plugin::duo-security.users.read',
  usersReset: 'plugin::duo-security.users.reset',
  auditRead: 'plugin::duo-security.audit.read',
} as const;

interface ActionProvider {
  registerMany(actions: ReadonlyArray<Record<string, string>>): Promise<void>;
}

export async function registerPermissions(strapi: Strapi): Promise<void> {
  const provider = (strapi.admin?.services.permission as { actionProvider: ActionProvider } | undefined)
    ?.actionProvider;
  if (provider === undefined) throw new Error('duo-security: the admin permission service is not available');
  await provider.registerMany([
    {
      section: 'plugins',
      displayName: 'Read',
      uid: 'settings.read',
      subCategory: 'settings',
      pluginName: 'duo-security',
    },
    {
      section: 'plugins',
      displayName: 'Update',
      uid: 'settings.update',
      subCategory: 'settings',
      pluginName: 'duo-security',
    },
    {
      section: 'plugins',
      displayName: 'Read',
      uid: 'users.read',
      subCategory: 'users',
      pluginName: 'duo-security',
    },
    {
      section: 'plugins',
      displayName: 'Reset Duo',
      uid: 'users.reset',
      subCategory: 'users',
      pluginName: 'duo-security',
    },
    {
      section: 'plugins',
      displayName: 'Read',
      uid: 'audit.read',
      subCategory: 'audit log',
      pluginName: 'duo-security',
    },
  ]);
}
