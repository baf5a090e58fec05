import type { StepExchange } from '../../hosts/contract';
import type { Audience, EffectiveSettings } from '../../settings/types';
import type { StepRow } from '../step-store';
import type { PresentedEnvelope, StepEngineDeps } from './types';

/** Duo's policy decides how long a device is remembered, at most a year: the envelope is never kept longer. */
const MAX_AGE_MS = 365 * 86_400_000;
/** Far above a sealed envelope (Duo's tokens are short); anything longer is not opened. */
const MAX_ENVELOPE_LENGTH = 4096;

/**
 * What the browser or app holds: Duo's token sealed by the plugin (never Duo's token as it is), bound to the
 * audience, the account and the enrolment it was earned under (`g`: when Duo was turned on). A reset, or Duo turned
 * off and on again, changes or ends that enrolment, so older envelopes are refused before Duo is asked.
 */
interface Envelope {
  readonly v: 1;
  readonly a: Audience;
  readonly u: number;
  readonly g: string;
  readonly t: string;
  readonly i: number;
}

function isEnvelope(value: unknown): value is Envelope {
  if (value === null || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (
    e.v === 1 &&
    (e.a === 'staff' || e.a === 'clients') &&
    typeof e.u === 'number' &&
    typeof e.g === 'string' &&
    typeof e.t === 'string' &&
    e.t !== '' &&
    typeof e.i === 'number'
  );
}

export type RememberRefusal = 'unreadable' | 'another-account' | 'forgotten' | 'expired';

export interface RememberedDevices {
  /**
   * Duo's token from the envelope a sign-in presented, when it is this account's current one and the audience
   * remembers devices; a refused envelope is audited (`remember.refused`, with why, never the token) and ignored.
   */
  open(
    s: EffectiveSettings,
    audience: Audience,
    userId: number,
    presented: PresentedEnvelope | undefined,
    base: { readonly audience: Audience; readonly userId: number; readonly ip?: string },
  ): Promise<string | undefined>;
  /**
   * After Duo allowed a sign-in with a second factor and issued a trusted-device token: sealed for this account and
   * handed over, to staff as a cookie, to clients in the answer (`duoRememberToken`). Returns the answer.
   */
  handOver(row: StepRow, duoToken: string | undefined, exchange: StepExchange, body: unknown): Promise<unknown>;
}

export function rememberedDevices({
  enrollments,
  secrets,
  audit,
  settings,
  handRemembered,
}: Pick<StepEngineDeps, 'enrollments' | 'secrets' | 'audit' | 'settings' | 'handRemembered'>): RememberedDevices {
  /** The current enrolment's generation, or undefined when Duo is not on for the account. */
  const generation = async (audience: Audience, userId: number): Promise<string | undefined> => {
    const enrollment = await enrollments.find(audience, userId);
    if (enrollment?.status !== 'active' || enrollment.enabledAt === null) return undefined;
    return new Date(enrollment.enabledAt).toISOString();
  };

  const read = async (
    audience: Audience,
    userId: number,
    presented: string,
  ): Promise<{ token: string } | { refused: RememberRefusal }> => {
    if (presented.length > MAX_ENVELOPE_LENGTH) return { refused: 'unreadable' };
    const opened = secrets.open(presented);
    let envelope: unknown;
    try {
      envelope = opened === undefined ? undefined : JSON.parse(opened);
    } catch {
      envelope = undefined;
    }
    if (!isEnvelope(envelope)) return { refused: 'unreadable' };
    if (envelope.a !== audience || envelope.u !== userId) return { refused: 'another-account' };
    if (envelope.i + MAX_AGE_MS <= Date.now()) return { refused: 'expired' };
    if (envelope.g !== (await generation(audience, userId))) return { refused: 'forgotten' };
    return { token: envelope.t };
  };

  return {
    async open(s, audience, userId, presented, base) {
      if (presented === undefined || presented.value === '' || !s[audience].rememberDevices) return undefined;
      const result = await read(audience, userId, presented.value);
      if ('token' in result) return result.token;
      // Another account's envelope is still that account's (a shared browser): only a dead one is dropped.
      if (result.refused !== 'another-account') presented.forget?.();
      await audit.log('remember.refused', { ...base, outcome: 'refused', detail: { reason: result.refused } });
      return undefined;
    },

    async handOver(row, duoToken, exchange, body) {
      if (duoToken === undefined || duoToken === '' || row.purpose !== 'login') return body;
      if (!(await settings.get())[row.audience].rememberDevices) return body;
      const g = await generation(row.audience, row.userId);
      if (g === undefined) return body;
      const envelope: Envelope = { v: 1, a: row.audience, u: row.userId, g, t: duoToken, i: Date.now() };
      const sealed = secrets.seal(JSON.stringify(envelope));
      return handRemembered({ audience: row.audience, sealed, maxAgeMs: MAX_AGE_MS, exchange, body });
    },
  };
}
