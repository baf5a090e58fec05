import { pluginId } from './pluginId';

interface StrapiAdminApp {
  registerPlugin(plugin: { id: string; name: string }): void;
}

interface Translation {
  data: Record<string, string>;
  locale: string;
}

export default {
  register(app: StrapiAdminApp): void {
    app.registerPlugin({ id: pluginId, name: 'Duo Security' });
  },
  bootstrap(): void {},
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
