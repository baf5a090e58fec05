import { Shield } from '@strapi/icons';
import type { PluginDefinition } from '@strapi/strapi/admin';

import { duoStepMiddleware } from '../../shared/glue/storeGlue.js';
import { PERMISSIONS } from '../../shared/permissions.js';
import { pluginId } from '../../shared/pluginId.js';
import { getTrad } from '../../shared/utils/getTrad.js';

type Messages = Record<string, string>;

/**
 * One loader per locale the plugin translates. A static map rather than a template import: Vite resolves each file
 * at build time and the types stay exact. Strapi's own strings cover the locales missing here.
 */
const TRANSLATIONS: Record<string, () => Promise<{ default: Messages }>> = {
  en: () => import('../../shared/translations/en.json'),
  fr: () => import('../../shared/translations/fr.json'),
  de: () => import('../../shared/translations/de.json'),
};

function prefixKeys(data: Messages): Messages {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [`${pluginId}.${key}`, value]));
}

/** Strapi 5's admin entry of the plugin (admin/v5/index.mjs re-exports it). */
const plugin: PluginDefinition = {
  register(app) {
    // Runs on every admin page load, the login page included: the sign-in answers pass through this middleware.
    app.addMiddlewares([duoStepMiddleware]);
    app.registerPlugin({ id: pluginId, name: 'Duo Security' });
    // Every administrator manages Duo for their own account. Strapi 5 wants a path relative to /admin.
    app.addMenuLink({
      to: `plugins/${pluginId}`,
      icon: Shield,
      intlLabel: { id: getTrad('account.menu'), defaultMessage: 'Two-factor (Duo)' },
      Component: () => import('./pages/Account/index.js'),
      permissions: [],
    });
  },
  bootstrap(app) {
    // Settings → Global settings; each link is hidden without its read permission, and each page checks it again.
    app.addSettingsLink('global', {
      id: pluginId,
      to: pluginId,
      intlLabel: { id: getTrad('settings.link'), defaultMessage: 'Duo Security' },
      Component: () => import('./pages/Settings/index.js'),
      permissions: PERMISSIONS.read,
    });
    app.addSettingsLink('global', {
      id: `${pluginId}-users`,
      to: `${pluginId}-users`,
      intlLabel: { id: getTrad('users.link'), defaultMessage: 'Duo users' },
      Component: () => import('./pages/Users/index.js'),
      permissions: PERMISSIONS.usersRead,
    });
    app.addSettingsLink('global', {
      id: `${pluginId}-audit`,
      to: `${pluginId}-audit`,
      intlLabel: { id: getTrad('audit.link'), defaultMessage: 'Duo audit log' },
      Component: () => import('./pages/Audit/index.js'),
      permissions: PERMISSIONS.auditRead,
    });
  },
  async registerTrads({ locales }) {
    return Promise.all(
      locales.map(async (locale) => {
        const load = TRANSLATIONS[locale];
        if (load === undefined) return { data: {}, locale };
        try {
          return { data: prefixKeys((await load()).default), locale };
        } catch {
          return { data: {}, locale };
        }
      }),
    );
  },
};

export default plugin;
