import type { Strapi } from '@strapi/strapi';

/** RBAC actions, declared once; route policies and the admin page refer to them by uid. */
export const ACTIONS = {
  settingsRead: 'plugin::duo-security.settings.read',
  settingsUpdate: 'plugin::duo-security.settings.update',
  usersRead: 'plugin::duo-security.users.read',
  usersReset: 'plugin::duo-security.users.reset',
  auditRead: 'plugin::duo-security.audit.read',
} as const;

type WillRegister = (event: { key: string; value: unknown }) => void;

/** The admin's registry of RBAC actions (Strapi 4 and 5 alike). */
export interface ActionProvider {
  registerMany(actions: ReadonlyArray<Record<string, string>>): Promise<void>;
  get(uid: string): unknown;
  readonly hooks: { readonly willRegister: { register(handler: WillRegister): unknown } };
}

export function actionProvider(strapi: Strapi): ActionProvider {
  const provider = (strapi.admin?.services.permission as { actionProvider?: ActionProvider } | undefined)
    ?.actionProvider;
  if (provider === undefined) throw new Error('duo-security: the admin permission service is not available');
  return provider;
}

export async function registerPermissions(strapi: Strapi): Promise<void> {
  await actionProvider(strapi).registerMany([
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
