import type { Strapi } from '@strapi/strapi';

import { connectionCheckSchema, settingsUpdateSchema } from '../settings/schemas';
import type { ConnectionCheckValues } from '../settings/settings-service';
import type { SettingsUpdate } from '../settings/types';
import { validateBody } from '../utils/validate-body';
import { pluginService } from '../plugin-services';
import { rolesOf } from '../role-facts';

export interface SettingsCtx {
  request: { body?: unknown };
  body: unknown;
}

const AUDIENCE_SHAPE = {
  enabled: true,
  enforcement: true,
  failMode: true,
  usernameSource: true,
  rememberDevices: true,
  roles: true,
} as const;
const UPDATE_SHAPE = {
  activated: true,
  integration: true,
  integrationKey: true,
  secretKey: true,
  apiHostname: true,
  clientId: true,
  clientSecret: true,
  clientReturnUrls: true,
  staff: AUDIENCE_SHAPE,
  clients: AUDIENCE_SHAPE,
} as const;
const CHECK_SHAPE = {
  integration: true,
  integrationKey: true,
  secretKey: true,
  apiHostname: true,
  clientId: true,
  clientSecret: true,
} as const;

export const settings = ({ strapi }: { strapi: Strapi }) => {
  const service = () => pluginService(strapi, 'settings');
  return {
    async get(ctx: SettingsCtx): Promise<void> {
      ctx.body = { data: await service().view() };
    },
    async update(ctx: SettingsCtx): Promise<void> {
      const update = await validateBody<SettingsUpdate>(ctx.request.body, UPDATE_SHAPE, settingsUpdateSchema);
      ctx.body = { data: await service().update(update) };
    },
    /** The roles the per-role enforcement can name: admin roles (staff) and users-permissions roles (clients). */
    async roles(ctx: SettingsCtx): Promise<void> {
      ctx.body = { data: { staff: await rolesOf(strapi, 'staff'), clients: await rolesOf(strapi, 'clients') } };
    },
    async check(ctx: SettingsCtx): Promise<void> {
      const values = await validateBody<ConnectionCheckValues>(ctx.request.body, CHECK_SHAPE, connectionCheckSchema);
      ctx.body = { data: await service().testConnection(values) };
    },
  };
};
