import { universalReturnFor } from '../hosts/universal-return';
import type { Strapi } from '@strapi/strapi';
import { errors, yup } from '../utils/strapi-utils';

import { pluginService } from '../plugin-services';
import type { Audience } from '../settings/types';
import { validateBody } from '../utils/validate-body';
import { stepExchange, type ExchangeCtx } from './exchange';
import { ownDevices } from './own-devices';

/** `enable` and `disable` take no fields: anything in the body is a client error, not something to ignore. */
const NO_FIELDS = yup.object({}).noUnknown().strict();

/** The signed-in account, as the audience's authentication left it on the request. */
export interface AccountUser {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
}

export interface AccountCtx extends ExchangeCtx {
  state: Record<string, unknown>;
  origin?: string;
  request: ExchangeCtx['request'] & { body?: unknown };
  body: unknown;
}

export interface AccountStatus {
  /** Duo is offered to this account (activated and enabled for its audience, and not `off` for its roles). */
  readonly available: boolean;
  /** Duo is on for this account. */
  readonly enabled: boolean;
  /** Enforcement (the audience default or the account's roles) requires Duo of this account. */
  readonly required: boolean;
  readonly lastUsedAt: string | null;
  /** Unused backup codes (the codes themselves are shown once, when made). */
  readonly backupCodesRemaining: number;
}

/**
 * WHMCS "My Account → Two-Factor Authentication" as JSON, for one audience: status, enable (enrolment and one
 * verification), disable (a fresh verification). The verification runs on the audience's Duo step endpoints; the
 * step's final answer (and the bypass answer here) comes from the host's adapter for the audience.
 */
export const accountController =
  (audience: Audience, currentUser: (ctx: AccountCtx) => AccountUser | undefined) =>
  ({ strapi }: { strapi: Strapi }) => {
    const signedIn = (ctx: AccountCtx): AccountUser => {
      const user = currentUser(ctx);
      if (user === undefined) throw new errors.UnauthorizedError('Sign in first');
      return user;
    };

    const status = async (user: AccountUser): Promise<AccountStatus> => {
      const settings = await pluginService(strapi, 'settings').get();
      const enrollment = await pluginService(strapi, 'enrollments').find(audience, user.id);
      const offered = settings.activated && settings[audience].enabled;
      const enabled = enrollment?.status === 'active';
      // The user's roles may set the audience default aside; a role `off` does not offer Duo (one on stays on).
      const { enforcement } = offered
        ? await pluginService(strapi, 'policy').enforcement(audience, user.id)
        : { enforcement: 'off' };
      return {
        available: offered && (enforcement !== 'off' || enabled),
        enabled,
        required: offered && enforcement === 'required',
        lastUsedAt: enrollment?.lastUsedAt ?? null,
        backupCodesRemaining: await pluginService(strapi, 'backupCodes').remaining(audience, user.id),
      };
    };

    const begin = async (ctx: AccountCtx, purpose: 'enable' | 'disable' | 'backup-codes') => {
      const user = signedIn(ctx);
      const result = await pluginService(strapi, 'step').begin({
        audience,
        user,
        purpose,
        ip: ctx.request.ip,
        universal: universalReturnFor(strapi, audience, ctx),
      });
      if (result.kind === 'step') return { data: result.details };
      // Duo's preauth allowed the user outright (a bypass user): there is nothing to verify.
      if (purpose === 'backup-codes') {
        const backupCodes = await pluginService(strapi, 'backupCodes').issueSet(audience, user.id);
        await pluginService(strapi, 'audit').log('backup-codes.issued', {
          audience,
          userId: user.id,
          outcome: 'issued',
          detail: { duo: 'allow', count: backupCodes.length },
          ...(ctx.request.ip ? { ip: ctx.request.ip } : {}),
        });
        return { data: { backupCodes } };
      }
      const enrollments = pluginService(strapi, 'enrollments');
      if (purpose === 'enable') await enrollments.enable(audience, user.id, result.duoUsername);
      else await enrollments.disable(audience, user.id);
      await pluginService(strapi, 'audit').log(purpose === 'enable' ? 'enroll.enabled' : 'enroll.disabled', {
        audience,
        userId: user.id,
        outcome: purpose === 'enable' ? 'enabled' : 'disabled',
        detail: { duo: 'allow' },
        ...(ctx.request.ip ? { ip: ctx.request.ip } : {}),
      });
      if (purpose === 'disable') return { data: { enabled: false } };
      // As after a verified enable: the session's old token has no Duo claim and stops working now.
      return pluginService(strapi, 'step').completeEnable(audience, user.id, 'bypass', stepExchange(ctx));
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

      /** The devices Duo knows for this account, and what only Duo can change about them. */
      async devices(ctx: AccountCtx): Promise<void> {
        const user = signedIn(ctx);
        const current = await status(user);
        if (!current.enabled) throw new errors.ApplicationError('Two-factor authentication is not on for this account');
        ctx.set?.('Cache-Control', 'no-store');
        ctx.body = { data: await ownDevices(strapi, audience, user, !current.required) };
      },

      /** A new set of backup codes, after a fresh Duo verification; the old set stops working. */
      async backupCodes(ctx: AccountCtx): Promise<void> {
        await validateBody(ctx.request.body, {}, NO_FIELDS);
        const current = await status(signedIn(ctx));
        if (!current.enabled) throw new errors.ApplicationError('Two-factor authentication is not on for this account');
        ctx.set?.('Cache-Control', 'no-store');
        ctx.body = await begin(ctx, 'backup-codes');
      },
    };
  };
