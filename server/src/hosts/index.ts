import type { Strapi } from '@strapi/strapi';

import type { Host } from './contract';
import { v4Host } from './v4';
import { createV5Host } from './v5';
import { isStrapi5 } from './v5/strapi';

const v5Host = createV5Host();

/** The host the running Strapi is: Strapi 5 has a session manager (`strapi.sessionManager`), Strapi 4 does not. */
export function selectHost(strapi: Strapi): Host {
  return isStrapi5(strapi) ? v5Host : v4Host;
}
