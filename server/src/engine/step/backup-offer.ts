import { DuoError } from '../../duo/errors';
import type { EffectiveSettings } from '../../settings/types';
import type { StoredDuoOptions } from '../duo-options';
import type { BeginInput, BeginResult, StepEngineDeps } from './types';

type AuditBase = { readonly audience: BeginInput['audience']; readonly userId: number; readonly ip?: string };

/**
 * Duo out of reach at the password, fail mode closed: an account with backup codes gets a step that takes one of
 * them, instead of a refusal. A backup code is a second factor of its own, so this lets no one in on a password. Only
 * for an outage: Duo refusing this server (keys, TLS) is a configuration to fix, and refuses as before.
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
  ): Promise<BeginResult | undefined> => {
    const outage = error instanceof DuoError && error.isServiceFailure;
    if (input.purpose !== 'login' || !outage || s[input.audience].failMode !== 'closed') return undefined;
    if ((await backupCodes.remaining(input.audience, input.user.id)) === 0) return undefined;
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
        outcome: 'backup-code-offered',
        detail: { reason: error.reason },
      });
      return created;
    });
    return {
      kind: 'step',
      details: { step: { id, expiresAt: new Date(row.expiresAt).toISOString() }, duo: challenge.view },
    };
  };
}
