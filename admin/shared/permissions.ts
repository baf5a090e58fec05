import { pluginId } from './pluginId.ts';

interface PagePermission {
  action: string;
  subject: null;
}

const permission = (action: string): PagePermission[] => [{ action: `plugin::${pluginId}.${action}`, subject: null }];

/** Declared on the server in bootstrap (actionProvider.registerMany) and enforced on its routes. */
export const PERMISSIONS = {
  read: permission('settings.read'),
  update: permission('settings.update'),
  usersRead: permission('users.read'),
  usersReset: permission('users.reset'),
  auditRead: permission('audit.read'),
} satisfies Record<string, PagePermission[]>;
