import { DuoError } from '../../duo/errors';
import type { EffectiveSettings } from '../../settings/types';
import type { StoredDuoOptions } from '../duo-options';
import { DuoUnavailableError } from '../errors';
import type { BeginInput, StepEngineDeps } from './types';

type AuditBase = { readonly audience: BeginInput['audience']; readonly userId: number; readonly ip?: string };

/**
 * Duo out of reach at the password, fail mode closed: the refusal of an account with backup codes carries a step that
 * takes one of them (`DuoUnavailableError` with `details.step`, so a front end that knows nothing of backup codes
 * still reads a refusal). A backup code is a second factor of its own: this lets no one in on a password. Only for an
 * outage: Duo refusing this server (keys, TLS) is a configuration to fix, and refuses as before. Returns when there
 * is nothing to offer.
 */
export function backupCodeOffer({
  store,
  audit,
  atomically,
  backupCodes,
  config,
}: Pick<StepEngineDeps, 'store' | 'audit' | 'atomically' | 'backupCodes' | 'config'>) {
  return async (
    input: BeginInput,
    error: unknown,
    s: EffectiveSettings,
    duoUsername: string,
    base: AuditBase,
  ): Promise<void> => {
    const outage = error instanceof DuoError && error.isServiceFailure;
    if (input.purpose !== 'login' || !outage || s[input.audience].failMode !== 'closed') return;
    if ((await backupCodes.remaining(input.audience, input.user.id)) === 0) return;
    const challenge: StoredDuoOptions = { view: { result: 'unavailable' } };
    const { id, row } = await atomically(async () => {
      const created = await store.create({
        audience: input.audience,
        userId: input.user.id,
        purpose: 'login',
        duoUsername,
        challenge,
        flow: input.flow ?? null,
        ip: input.ip,
        ttlSeconds: config().stepTtlSeconds,
      });
      await audit.log('login.fail-closed', {
        ...base,
        // Refused, as without codes; the entry says a backup code was offered.
        outcome: 'refused',
        detail: { reason: error.reason, offered: 'backup-code' },
      });
      return created;
    });
    throw new DuoUnavailableError(error.reason, { id, expiresAt: new Date(row.expiresAt).toISOString() });
  };
}
