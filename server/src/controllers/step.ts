import type { Strapi } from '@strapi/strapi';

import type { StepAnswer } from '../engine/step';
import { pluginService } from '../plugin-services';
import type { Audience } from '../settings/types';
import { validateBody } from '../utils/validate-body';
import {
  PASSCODE_SHAPE,
  passcodeSchema,
  STATUS_SHAPE,
  statusSchema,
  STEP_SHAPE,
  stepSchema,
  STEP_ID_SHAPE,
  stepIdSchema,
  COMPLETE_SHAPE,
  completeSchema,
  BACKUP_CODE_SHAPE,
  backupCodeSchema,
  type BackupCodeBody,
  type CompleteBody,
  type PasscodeBody,
  type StatusBody,
  type StepBody,
} from './step-schemas';
import { stepExchange, type ExchangeCtx } from './exchange';

export interface StepCtx extends ExchangeCtx {
  request: ExchangeCtx['request'] & { body?: unknown };
  body: unknown;
  set(name: string, value: string): void;
}

/**
 * The Duo step after the password, for one audience. Keyed by the opaque step id (the body's `step`); answers `{ data: state }`
 * while the step is open, and on allow exactly what the original login would have returned.
 */
export const stepController =
  (audience: Audience) =>
  ({ strapi }: { strapi: Strapi }) => {
    const engine = () => pluginService(strapi, 'step');
    const answer = (ctx: StepCtx, result: StepAnswer) => {
      // Tokens and step states must not be cached by browsers or proxies.
      ctx.set('Cache-Control', 'no-store');
      ctx.body = result.done ? result.body : { data: result.body };
    };

    return {
      async push(ctx: StepCtx): Promise<void> {
        const body = await validateBody<StepBody>(ctx.request.body, STEP_SHAPE, stepSchema);
        answer(ctx, {
          done: false,
          body: await engine().startOutOfBand(audience, body.step, 'push', body.device),
        });
      },
      async phone(ctx: StepCtx): Promise<void> {
        const body = await validateBody<StepBody>(ctx.request.body, STEP_SHAPE, stepSchema);
        answer(ctx, {
          done: false,
          body: await engine().startOutOfBand(audience, body.step, 'phone', body.device),
        });
      },
      async sms(ctx: StepCtx): Promise<void> {
        const body = await validateBody<StepBody>(ctx.request.body, STEP_SHAPE, stepSchema);
        answer(ctx, { done: false, body: await engine().sendSms(audience, body.step, body.device) });
      },
      async passcode(ctx: StepCtx): Promise<void> {
        const body = await validateBody<PasscodeBody>(ctx.request.body, PASSCODE_SHAPE, passcodeSchema);
        answer(ctx, await engine().submitPasscode(audience, body.step, body.passcode, stepExchange(ctx)));
      },
      async status(ctx: StepCtx): Promise<void> {
        const body = await validateBody<StatusBody>(ctx.request.body, STATUS_SHAPE, statusSchema);
        answer(ctx, await engine().status(audience, body.step, body.wait !== false, stepExchange(ctx)));
      },
      async enroll(ctx: StepCtx): Promise<void> {
        const body = await validateBody<{ step: string }>(ctx.request.body, STEP_ID_SHAPE, stepIdSchema);
        answer(ctx, { done: false, body: await engine().startActivation(audience, body.step) });
      },
      /** A backup code in place of Duo (sign-in only). */
      async 'backup-code'(ctx: StepCtx): Promise<void> {
        const body = await validateBody<BackupCodeBody>(ctx.request.body, BACKUP_CODE_SHAPE, backupCodeSchema);
        answer(ctx, await engine().submitBackupCode(audience, body.step, body.code, stepExchange(ctx)));
      },
      /** A sign-in that must enrol, without Duo, while its required role's grace period lasts. */
      async postpone(ctx: StepCtx): Promise<void> {
        const body = await validateBody<{ step: string }>(ctx.request.body, STEP_ID_SHAPE, stepIdSchema);
        answer(ctx, await engine().postpone(audience, body.step, stepExchange(ctx)));
      },
      /** Universal Prompt: the step id and the completion code its callback put in the return URL. */
      async complete(ctx: StepCtx): Promise<void> {
        const body = await validateBody<CompleteBody>(ctx.request.body, COMPLETE_SHAPE, completeSchema);
        answer(ctx, await engine().complete(audience, body.step, body.completion, stepExchange(ctx)));
      },
      async cancel(ctx: StepCtx): Promise<void> {
        const body = await validateBody<{ step: string }>(ctx.request.body, STEP_ID_SHAPE, stepIdSchema);
        await engine().cancel(audience, body.step);
        answer(ctx, { done: false, body: { state: 'cancelled' } });
      },
    };
  };
