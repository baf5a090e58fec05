import type { ComponentType } from 'react';

import { PERMISSIONS } from './permissions';
import { pluginId } from './pluginId';
import { getTrad } from './utils/getTrad';

interface IntlLabel {
  id: string;
  defaultMessage: string;
}

interface SettingsLink {
  id: string;
  to: string;
  intlLabel: IntlLabel;
  Component: () => Promise<{ default: ComponentType }>;
  permissions: { action: string; subject: null }[];
}

interface StrapiAdminApp {
  registerPlugin(plugin: { id: string; name: string }): void;
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
  },
  async registerTrads({ locales }: { locales: string[] }): Promise<Translation[]> {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as {
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
