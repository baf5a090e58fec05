import { pluginId } from '../pluginId.ts';

/** Prefixes a translation key with the plugin id, as registerTrads does for translations/<locale>.json. */
export function getTrad(id: string): string {
  return `${pluginId}.${id}`;
}
