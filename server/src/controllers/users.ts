import type { Strapi } from '@strapi/strapi';
import { errors, yup } from '../utils/strapi-utils';

import type { UserListQuery } from '../management/user-directory';
import type { Audience } from '../settings/types';
import { validateBody } from '../utils/validate-body';
import { pluginService } from '../plugin-services';
import { paging, PAGING_FIELDS } from './paging';

export interface UsersCtx {
  state: Record<string, unknown>;
  request: { ip?: string; body?: unknown; query?: unknown };
  body: unknown;
}

const audience = yup
  .string()
  .typeError('audience must be "staff" or "clients"')
  .oneOf(['staff', 'clients'], 'audience must be "staff" or "clients"');

/** Query strings arrive as strings (or arrays and objects for repeated or bracketed keys: refused). */
const LIST_SHAPE = { audience: true, search: true, page: true, pageSize: true } as const;
const listSchema = yup
  .object({
    audience,
    search: yup.string().typeError('search must be a single string').max(100, 'search is at most 100 characters'),
    ...PAGING_FIELDS,
  })
  .noUnknown()
  .strict();

const RESET_SHAPE = { audience: true, userId: true } as const;
const resetSchema = yup
  .object({
    audience: audience.required('audience is required'),
    userId: yup
      .number()
      .typeError('userId must be a user id (a whole number)')
      .required('userId is required')
      .integer('userId must be a user id (a whole number)')
      .positive('userId must be a user id (a whole number)')
      .max(Number.MAX_SAFE_INTEGER, 'userId must be a user id (a whole number)'),
  })
  .noUnknown()
  .strict();

/** User management (RBAC `users.read` / `users.reset`, enforced by the routes' policies). */
export const users = ({ strapi }: { strapi: Strapi }) => {
  const directory = () => pluginService(strapi, 'users');

  return {
    async list(ctx: UsersCtx): Promise<void> {
      const raw = await validateBody<Partial<Record<keyof typeof LIST_SHAPE, string>>>(
        ctx.request.query,
        LIST_SHAPE,
        listSchema,
      );
      const query: UserListQuery = {
        audience: (raw.audience ?? 'staff') as Audience,
        search: raw.search ?? '',
        ...paging(raw, 20),
      };
      ctx.body = await directory().list(query);
    },

    async reset(ctx: UsersCtx): Promise<void> {
      const body = await validateBody<{ audience: Audience; userId: number }>(
        ctx.request.body,
        RESET_SHAPE,
        resetSchema,
      );
      const admin = ctx.state.user as { id?: unknown } | undefined;
      if (typeof admin?.id !== 'number') throw new errors.UnauthorizedError('Sign in first');
      const {
        cancelledSteps: _cancelled,
        skipDuoUntil: _until,
        ...row
      } = await directory().reset(body.audience, body.userId, {
        via: 'admin',
        adminId: admin.id,
        ...(ctx.request.ip ? { ip: ctx.request.ip } : {}),
      });
      ctx.body = { data: row };
    },
  };
};
