import type { Strapi } from '@strapi/strapi';

import { UIDS } from './engine/db';
import { actionProvider } from './permissions';

/** The Content Manager's read action: Strapi 5 registers it for every content type, hidden ones included. */
const EXPLORER_READ = 'plugin::content-manager.explorer.read';
const PLUGIN_TABLES: ReadonlySet<string> = new Set(Object.values(UIDS));

interface RegisteredAction {
  subjects?: unknown;
}

/**
 * Strapi 5's Content Manager offers `explorer.read` on every content type, and Strapi gives every action to the
 * Super Admin role: any administrator token of that role would list the Duo steps, enrolments, backup-code hashes and
 * the audit log (private fields included) at `/content-manager/collection-types/plugin::duo-security.*`, and every
 * admin request would rebuild those permissions into its ability. Taking the plugin's tables out of the action's
 * subjects closes both; Strapi's start-up clean then deletes any such permission a role already holds. Strapi 4 never
 * offered them (its read action covers displayed content types only), so there this changes nothing.
 *
 * In register(): the Content Manager registers its actions in its bootstrap, after every plugin's register().
 */
export function hideFromContentManager(strapi: Strapi): void {
  actionProvider(strapi).hooks.willRegister.register(({ key, value }) => {
    if (key === EXPLORER_READ) withoutPluginTables(value as RegisteredAction);
  });
}

/** In bootstrap(): fails the start if the read action still names a plugin table (registered by some other way). */
export function assertHiddenFromContentManager(strapi: Strapi): void {
  const action = actionProvider(strapi).get(EXPLORER_READ) as RegisteredAction | undefined;
  const subjects = Array.isArray(action?.subjects) ? (action.subjects as unknown[]) : [];
  if (subjects.some((subject) => PLUGIN_TABLES.has(String(subject)))) {
    throw new Error(
      "duo-security: the Content Manager's read action still covers the plugin's tables; administrators could read " +
        'Duo steps and enrolments, so Strapi must not start',
    );
  }
}

function withoutPluginTables(action: RegisteredAction): void {
  if (Array.isArray(action.subjects))
    action.subjects = (action.subjects as unknown[]).filter((subject) => !PLUGIN_TABLES.has(String(subject)));
}
