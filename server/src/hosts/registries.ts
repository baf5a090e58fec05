import type { Strapi } from '@strapi/strapi';

/** What a gate needs of Strapi's controller and service registries: wrap an entry before routes resolve it. */
export interface ExtensibleRegistry<T> {
  extend(uid: string, fn: (entry: T) => T): void;
}

type Registries = { get(name: string): unknown };

/**
 * Strapi's controller or service registry. Strapi 4 keeps its registries in `strapi.container`; Strapi 5 dropped the
 * container and serves them from `strapi.get`. The entries and `extend` behave the same on both.
 */
export function registry<T>(strapi: Strapi, name: 'controllers' | 'services'): ExtensibleRegistry<T> {
  const container = (strapi as unknown as { container?: Registries }).container;
  const source: Registries = container ?? (strapi as unknown as Registries);
  return source.get(name) as ExtensibleRegistry<T>;
}
