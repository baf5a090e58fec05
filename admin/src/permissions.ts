import { pluginId } from './pluginId';

interface PagePermission {
  action: string;
  subject: null;
}

/** Declared on the server in bootstrap (actionProvider.registerMany) and enforced on its routes. */
export const PERMISSIONS: { read: PagePermission[]; update: PagePermission[] } = {
  read: [{ action: `plugin::${pluginId}.settings.read`, subject: null }],
  update: [{ action: `plugin::${pluginId}.settings.update`, subject: null }],
};
