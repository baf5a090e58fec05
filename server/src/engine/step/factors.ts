import { DuoError } from '../../duo/errors';
import type { Audience, EffectiveSettings } from '../../settings/types';
import type { StoredDuoOptions } from '../duo-options';
import { DuoFactorError, DuoStepError } from '../errors';
import type { StepRow } from '../step-store';
import type { StepAccess } from './access';
import { warnAboutDuo, type OnDuoFailure } from './duo-failure';
import type { StepOutcome } from './outcome';
import type { PromptLimiter } from './prompts';
import type { StepEngine, StepEngineDeps } from './types';

type DeviceFactor = 'push' | 'phone' | 'sms';

/** The device a factor goes to: the one asked for when it can, else the account's first that can. */
function deviceFor(options: StoredDuoOptions, factor: DeviceFactor, deviceId: unknown): string {
  if (options.view.result !== 'auth') throw new DuoFactorError(factor, 'Enrol a device with Duo first');
  const devices = options.view.devices.filter((d) => d.capabilities.includes(factor));
  if (deviceId === undefined || deviceId === null || deviceId === '') {
    const first = devices[0];
    if (first === undefined) throw new DuoFactorError(factor, `No device of this account can use ${factor}`);
    return first.id;
  }
  const device = devices.find((d) => d.id === deviceId);
  if (device === undefined) throw new DuoFactorError(factor, `That device cannot use ${factor}`);
  return device.id;
}

/** Push, phone call and SMS passcodes: the factors Duo delivers to a device (passcodes are in `passcode.ts`). */
export function deviceFactors(
  { store, settings, duo, log }: Pick<StepEngineDeps, 'store' | 'settings' | 'duo' | 'log'>,
  access: StepAccess,
  onDuoFailure: OnDuoFailure,
  outcome: Pick<StepOutcome, 'failedOpen'>,
  prompts: Pick<PromptLimiter, 'take'>,
): Pick<StepEngine, 'startOutOfBand' | 'sendSms'> {
  const freshVerifiedPush = async (row: StepRow, s: EffectiveSettings) => {
    const preauth = await duo(s).preauth({
      username: row.duoUsername,
      clientSupportsVerifiedPush: true,
      ...(row.ip ? { ipaddr: row.ip } : {}),
    });
    return preauth.result === 'auth' && preauth.verifiedPush !== undefined
      ? { txid: preauth.verifiedPush.txid, code: preauth.verifiedPush.verificationCode }
      : undefined;
  };

  return {
    async startOutOfBand(audience: Audience, id: unknown, factor: 'push' | 'phone', deviceId: unknown) {
      const row = await access.load(audience, id);
      const options = access.requireLive(row);
      if (row.state === 'allowed') throw new DuoStepError('allowed');
      const device = deviceFor(options, factor, deviceId);
      // Counted when asked for, whatever Duo then does with it: a prompt refused by Duo gives none back.
      await prompts.take(row, factor);
      const s = await settings.get();
      try {
        // A Verified Push code is single-use and short-lived: each push gets a fresh one from Duo (a call to Duo
        // like the push itself, so under the fail mode too).
        const verified =
          factor === 'push' && options.verifiedPush !== undefined ? await freshVerifiedPush(row, s) : undefined;
        const { txid } = await duo(s).auth(
          {
            username: row.duoUsername,
            factor,
            device,
            ...(row.ip ? { ipaddr: row.ip } : {}),
            ...(verified === undefined ? {} : { txid: verified.txid }),
            ...(factor === 'push'
              ? { type: 'Login request', pushinfo: { from: 'Strapi', audience: row.audience } }
              : {}),
          },
          { async: true },
        );
        const duoStatus = factor === 'push' ? 'pushed' : 'calling';
        await store.update(row, { duoTxid: txid, duoStatus, duoStatusMessage: null });
        return {
          state: 'waiting' as const,
          duoStatus,
          ...(verified === undefined ? {} : { verificationCode: verified.code }),
        };
      } catch (error) {
        if (error instanceof DuoError && error.reason === 'api') {
          warnAboutDuo(log, row, `${factor} refused by Duo`, error);
          throw new DuoFactorError(factor, `Duo could not start ${factor}: ${error.duoMessage ?? 'refused'}`);
        }
        await onDuoFailure(row, error, s);
        return outcome.failedOpen(row);
      }
    },

    async sendSms(audience: Audience, id: unknown, deviceId: unknown) {
      const row = await access.load(audience, id);
      const options = access.requireLive(row);
      const device = deviceFor(options, 'sms', deviceId);
      // Each send is a message Duo pays for and the person receives: counted like a push or a call, so a password
      // alone cannot make one step text a phone without end.
      await prompts.take(row, 'sms');
      const s = await settings.get();
      try {
        const result = await duo(s).auth({
          username: row.duoUsername,
          factor: 'sms',
          device,
          ...(row.ip ? { ipaddr: row.ip } : {}),
        });
        return { state: 'pending', duoStatus: result.status, message: result.statusMsg || 'New SMS passcodes sent' };
      } catch (error) {
        if (error instanceof DuoError && error.reason === 'api') {
          warnAboutDuo(log, row, 'sms refused by Duo', error);
          throw new DuoFactorError('sms', `Duo could not send SMS passcodes: ${error.duoMessage ?? 'refused'}`);
        }
        await onDuoFailure(row, error, s);
        return outcome.failedOpen(row);
      }
    },
  };
}
