import type { Strapi } from '@strapi/strapi';
import { errors, yup } from '@strapi/utils';

import type { ClientUser } from '../clients/up-services';
import type { ChallengeService } from '../engine/challenge-service';
import type { EnrollmentService } from '../engine/enrollment-service';
import type { AuditService } from '../engine/audit-service';
import type { SettingsService } from '../settings/settings-service';
import { validateBody } from '../utils/validate-body';

/** `enable` and `disable` take no fields: anything in the body is a client error, not something to ignore. */
const NO_FIELDS = yup.object({}).noUnknown().strict();

export interface AccountCtx {
  state: { duoClient?: ClientUser };
  request: { ip?: string; body?: unknown };
  body: unknown;
}

function client(ctx: AccountCtx): ClientUser {
  if (ctx.state.duoClient === undefined) throw new errors.UnauthorizedError('Sign in first');
  return ctx.state.duoClient;
}

/**
 * WHMCS "Security Settings → Two-Factor Authentication" for clients, as JSON: status, enable (enrolment and one
 * verification), disable (a fresh verification). The verification runs on the Duo step endpoints.
 */
export const clientAccount = ({ strapi }: { strapi: Strapi }) => {
  const service = <T>(name: string) => strapi.plugin('duo-security').service(name) as T;

  const status = async (user: ClientUser) => {
    const settings = await service<SettingsService>('settings').get();
    const enrollment = await service<EnrollmentService>('enrollments').find('clients', user.id);
    return {
      available: settings.activated && settings.clients.enabled,
      enabled: enrollment?.status === 'active',
      required: settings.activated && settings.clients.enabled && settings.clients.enforcement === 'required',
      lastUsedAt: enrollment?.lastUsedAt ?? null,
    };
  };

  const begin = async (ctx: AccountCtx, purpose: 'enable' | 'disable') => {
    const user = client(ctx);
    const result = await service<ChallengeService>('challenge').begin({
      audience: 'clients',
      user,
      purpose,
      ip: ctx.request.ip,
    });
    if (result.kind === 'challenge') return { data: result.details };
    // Duo's preauth allowed the user outright (a bypass user): there is nothing to verify.
    const enrollments = service<EnrollmentService>('enrollments');
    if (purpose === 'enable') await enrollments.enable('clients', user.id, user.email ?? user.username ?? '');
    else await enrollments.disable('clients', user.id);
    await service<AuditService>('audit').log(purpose === 'enable' ? 'enroll.enabled' : 'enroll.disabled', {
      audience: 'clients',
      userId: user.id,
      outcome: purpose === 'enable' ? 'enabled' : 'disabled',
      detail: { duo: 'allow' },
      ...(ctx.request.ip ? { ip: ctx.request.ip } : {}),
    });
    if (purpose === 'disable') return { data: { enabled: false } };
    // As after a verified enable: the session's old token has no Duo claim and stops working now.
    return {
      data: { enabled: true, jwt: service<ChallengeService>('challenge').tokenFor('clients', user.id, 'bypass') },
    };
  };

  return {
    async status(ctx: AccountCtx): Promise<void> {
      ctx.body = { data: await status(client(ctx)) };
    },

    async enable(ctx: AccountCtx): Promise<void> {
      await validateBody(ctx.request.body, {}, NO_FIELDS);
      const current = await status(client(ctx));
      if (!current.available)
        throw new errors.ApplicationError('Two-factor authentication is not offered on this site');
      if (current.enabled)
        throw new errors.ApplicationError('Two-factor authentication is already on for this account');
      ctx.body = await begin(ctx, 'enable');
    },

    async disable(ctx: AccountCtx): Promise<void> {
      await validateBody(ctx.request.body, {}, NO_FIELDS);
      const current = await status(client(ctx));
      if (!current.enabled) throw new errors.ApplicationError('Two-factor authentication is not on for this account');
      if (current.required)
        throw new errors.ApplicationError('This site requires two-factor authentication for every account');
      ctx.body = await begin(ctx, 'disable');
    },
  };
};
