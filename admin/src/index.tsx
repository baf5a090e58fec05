import type { ComponentType } from 'react';

import { Shield } from '@strapi/icons';

import { installDuoGlue } from '../shared/glue/installGlue';
import { PERMISSIONS } from '../shared/permissions';
import { pluginId } from '../shared/pluginId';
import { getTrad } from '../shared/utils/getTrad';

interface IntlLabel {
  id: string;
  defaultMessage: string;
}

interface PagePermission {
  action: string;
  subject: null;
}

interface SettingsLink {
  id: string;
  to: string;
  intlLabel: IntlLabel;
  Component: () => Promise<{ default: ComponentType }>;
  permissions: PagePermission[];
}

interface MenuLink {
  to: string;
  icon: ComponentType;
  intlLabel: IntlLabel;
  Component: () => Promise<{ default: ComponentType }>;
  permissions: PagePermission[];
}

interface StrapiAdminApp {
  registerPlugin(plugin: { id: string; name: string }): void;
  addMenuLink(link: MenuLink): void;
}

interface StrapiAdminBootstrapApp {
  addSettingsLink(sectionId: 'global', link: SettingsLink): void;
}

interface Translation {
  data: Record<string, string>;
  locale: string;
}

export default {
  register(app: StrapiAdminApp): void {
    app.registerPlugin({ id: pluginId, name: 'Duo Security' });
    // register() runs on every admin page, the login form included: that is where a "Duo required" answer arrives.
    installDuoGlue();
    // Every administrator manages Duo for their own account.
    app.addMenuLink({
      to: `/plugins/${pluginId}`,
      icon: Shield,
      intlLabel: { id: getTrad('account.menu'), defaultMessage: 'Two-factor (Duo)' },
      Component: () => import('./pages/Account'),
      permissions: [],
    });
  },
  bootstrap(app: StrapiAdminBootstrapApp): void {
    // Settings → Global settings → Duo Security; the link is hidden without the read permission.
    app.addSettingsLink('global', {
      id: pluginId,
      to: `/settings/${pluginId}`,
      intlLabel: { id: getTrad('settings.link'), defaultMessage: 'Duo Security' },
      Component: () => import('./pages/Settings'),
      permissions: PERMISSIONS.read,
    });
    // Settings → Global settings → Duo users.
    app.addSettingsLink('global', {
      id: `${pluginId}-users`,
      to: `/settings/${pluginId}-users`,
      intlLabel: { id: getTrad('users.link'), defaultMessage: 'Duo users' },
      Component: () => import('./pages/Users'),
      permissions: PERMISSIONS.usersRead,
    });
    // Settings → Global settings → Duo audit log.
    app.addSettingsLink('global', {
      id: `${pluginId}-audit`,
      to: `/settings/${pluginId}-audit`,
      intlLabel: { id: getTrad('audit.link'), defaultMessage: 'Duo audit log' },
      Component: () => import('./pages/Audit'),
      permissions: PERMISSIONS.auditRead,
    });
  },
  async registerTrads({ locales }: { locales: string[] }): Promise<Translation[]> {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`../shared/translations/${locale}.json`)) as {
            default: Record<string, string>;
          };
          return { data: prefixKeys(data), locale };
        } catch {
          return { data: {}, locale };
        }
      }),
    );
  },
};

function prefixKeys(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [`${pluginId}.${key}`, value]));
}
