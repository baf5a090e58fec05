import type { DuoAuthorization } from '../../duo/universal';
import { errors } from '../../utils/strapi-utils';
import type { EffectiveSettings } from '../../settings/types';
import type { StoredDuoOptions } from '../duo-options';
import { DuoDeniedError } from '../errors';
import type { OnDuoFailure } from './duo-failure';
import type { BeginInput, BeginResult, StepEngineDeps } from './types';

type AuditBase = { readonly audience: BeginInput['audience']; readonly userId: number; readonly ip?: string };

/**
 * The Universal Prompt's first half, after a correct password: Duo's health check (the only call whose failure the
 * fail mode may let through: the browser has not gone to Duo yet), then a step bound to this user and audience,
 * and the authorize URL the browser opens. The `state` in it is stored hashed; the nonce comes back in the id_token.
 */
export function beginUniversal(
  { store, audit, atomically, universal, config, grace }: StepEngineDeps,
  onDuoFailure: OnDuoFailure,
): (input: BeginInput, s: EffectiveSettings, duoUsername: string, base: AuditBase) => Promise<BeginResult> {
  return async (input, s, duoUsername, base) => {
    if (input.universal === undefined) {
      // A path the host did not wire for the Universal Prompt: refusing is the only answer that cannot bypass Duo.
      throw new Error(`duo-security: the ${input.audience} path that started this step has no Universal Prompt return`);
    }
    const returnUrl = chooseReturnUrl(input, s);
    const failing = { ...base, purpose: input.purpose, ip: input.ip ?? null };
    const client = universal(s);
    let authorization: DuoAuthorization;
    try {
      await client.healthCheck();
      authorization = client.createAuthorization({ username: duoUsername, redirectUri: input.universal.callbackUrl });
    } catch (error) {
      await onDuoFailure(failing, error, s);
      return { kind: 'allow', via: 'fail-open', duoUsername };
    }
    // A sign-in that must enrol inside a required role's grace period: the page may postpone instead of going to Duo.
    const offer = input.purpose === 'login' ? await grace.offer(input.audience, input.user.id) : undefined;
    const view = { result: 'universal' as const, ...(offer === undefined ? {} : { grace: offer }) };
    const challenge: StoredDuoOptions = {
      view,
      universal: { nonce: authorization.nonce, redirectUri: authorization.redirectUri, returnUrl },
    };
    const { id, row } = await atomically(async () => {
      const created = await store.create({
        audience: input.audience,
        userId: input.user.id,
        purpose: input.purpose,
        duoUsername,
        challenge,
        flow: input.flow ?? null,
        ip: input.ip,
        ttlSeconds: config().stepTtlSeconds,
        state: authorization.state,
      });
      await audit.log('step.started', { ...base, outcome: 'universal', detail: { purpose: input.purpose } });
      return created;
    });
    return {
      kind: 'step',
      details: {
        step: { id, expiresAt: new Date(row.expiresAt).toISOString() },
        duo: { ...view, authorizeUrl: authorization.url },
      },
    };
  };
}

/**
 * Where the callback will send this browser. Staff go back to the plugin's own step page (the host names it).
 * Clients go to a front-end URL from the settings' allow-list, never to one only the request names: an open
 * redirect would hand the completion code to whoever wrote the link.
 */
function chooseReturnUrl(input: BeginInput, s: EffectiveSettings): string {
  const requested = input.universal?.returnUrl;
  if (input.audience === 'staff') {
    if (requested === undefined) throw new Error('duo-security: the staff Universal Prompt return has no step page');
    return requested;
  }
  if (requested !== undefined) {
    if (!s.clientReturnUrls.includes(requested)) {
      throw new errors.ValidationError('X-Duo-Return-To is not one of the return URLs in the Duo Security settings', {
        errors: [{ path: ['X-Duo-Return-To'], message: 'Not an allowed return URL', name: 'ValidationError' }],
      });
    }
    return requested;
  }
  const first = s.clientReturnUrls[0];
  if (first === undefined) {
    throw new DuoDeniedError(
      "Duo's Universal Prompt has no return URL for this site; ask the site's administrator",
      'no-return-url',
    );
  }
  return first;
}
