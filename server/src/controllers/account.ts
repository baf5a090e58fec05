import type { Strapi } from '@strapi/strapi';
import { errors, yup } from '@strapi/utils';

import type { AuditService } from '../engine/audit-service';
import type { ChallengeService } from '../engine/challenge-service';
import type { EnrollmentService } from '../engine/enrollment-service';
import type { SettingsService } from '../settings/settings-service';
import type { Audience } from '../settings/types';
import { validateBody } from '../utils/validate-body';

/** `enable` and `disable` take no fields: anything in the body is a client error, not something to ignore. */
const NO_FIELDS = yup.object({}).noUnknown().strict();

/** The signed-in account, as the audience's authentication left it on the request. */
export interface AccountUser {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
}

export interface AccountCtx {
  state: Record<string, unknown>;
  request: { ip?: string; body?: unknown };
  body: unknown;
}

export interface AccountStatus {
  /** Duo is offered to this audience (activated and enabled for it). */
  readonly available: boolean;
  /** Duo is on for this account. */
  readonly enabled: boolean;
  /** Enforcement requires Duo for every account of the audience. */
  readonly required: boolean;
  readonly lastUsedAt: string | null;
}

/**
 * WHMCS "My Account → Two-Factor Authentication" as JSON, for one audience: status, enable (enrolment and one
 * verification), disable (a fresh verification). The verification runs on the audience's Duo step endpoints; the
 * step's final answer (and the bypass answer here) comes from the audience's issuer.
 */
export const accountController =
  (audience: Audience, currentUser: (ctx: AccountCtx) => AccountUser | undefined) =>
  ({ strapi }: { strapi: Strapi }) => {
    const service = <T>(name: string) => strapi.plugin('duo-security').service(name) as T;

    const signedIn = (ctx: AccountCtx): AccountUser => {
      const user = currentUser(ctx);
      if (user === undefined) throw new errors.UnauthorizedError('Sign in first');
      return user;
    };

    const status = async (user: AccountUser): Promise<AccountStatus> => {
      const settings = await service<SettingsService>('settings').get();
      const enrollment = await service<EnrollmentService>('enrollments').find(audience, user.id);
      const offered = settings.activated && settings[audience].enabled;
      return {
        available: offered,
        enabled: enrollment?.status === 'active',
        required: offered && settings[audience].enforcement === 'required',
        lastUsedAt: enrollment?.lastUsedAt ?? null,
      };
    };

    const begin = async (ctx: AccountCtx, purpose: 'enable' | 'disable') => {
      const user = signedIn(ctx);
      const result = await service<ChallengeService>('challenge').begin({
        audience,
        user,
        purpose,
        ip: ctx.request.ip,
      });
      if (result.kind === 'challenge') return { data: result.details };
      // Duo's preauth allowed the user outright (a bypass user): there is nothing to verify.
      const enrollments = service<EnrollmentService>('enrollments');
      if (purpose === 'enable') await enrollments.enable(audience, user.id, result.duoUsername);
      else await enrollments.disable(audience, user.id);
      await service<AuditService>('audit').log(purpose === 'enable' ? 'enroll.enabled' : 'enroll.disabled', {
        audience,
        userId: user.id,
        outcome: purpose === 'enable' ? 'enabled' : 'disabled',
        detail: { duo: 'allow' },
        ...(ctx.request.ip ? { ip: ctx.request.ip } : {}),
      });
      if (purpose === 'disable') return { data: { enabled: false } };
      // As after a verified enable: the session's old token has no Duo claim and stops working now.
      return service<ChallengeService>('challenge').enabledAnswer(audience, user.id, 'bypass');
    };

    return {
      async status(ctx: AccountCtx): Promise<void> {
        ctx.body = { data: await status(signedIn(ctx)) };
      },

      async enable(ctx: AccountCtx): Promise<void> {
        await validateBody(ctx.request.body, {}, NO_FIELDS);
        const current = await status(signedIn(ctx));
        if (!current.available)
          throw new errors.ApplicationError('Two-factor authentication is not offered on this site');
        if (current.enabled)
          throw new errors.ApplicationError('Two-factor authentication is already on for this account');
        ctx.body = await begin(ctx, 'enable');
      },

      async disable(ctx: AccountCtx): Promise<void> {
        await validateBody(ctx.request.body, {}, NO_FIELDS);
        const current = await status(signedIn(ctx));
        if (!current.enabled) throw new errors.ApplicationError('Two-factor authentication is not on for this account');
        if (current.required)
          throw new errors.ApplicationError('This site requires two-factor authentication for every account');
        ctx.body = await begin(ctx, 'disable');
      },
    };
  };
