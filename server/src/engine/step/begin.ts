import type { DuoPreauthResult } from '../../duo/types';
import { duoOptionsFromPreauth } from '../duo-options';
import { DuoIdentityError } from '../duo-username';
import { DuoDeniedError } from '../errors';
import type { OnDuoFailure } from './duo-failure';
import { backupCodeOffer } from './backup-offer';
import { rememberedDevices } from './remember';
import { beginUniversal } from './universal-begin';
import type { BeginInput, BeginResult, StepEngineDeps } from './types';

/** After a correct password: ask Duo's preauth, then allow, refuse, or open a step. */
export function beginStep(
  deps: StepEngineDeps,
  onDuoFailure: OnDuoFailure,
): (input: BeginInput) => Promise<BeginResult> {
  const { store, audit, atomically, enrollments, settings, duo, policy, config } = deps;
  const universal = beginUniversal(deps, onDuoFailure);
  const offerBackupCodes = backupCodeOffer(deps);
  const remember = rememberedDevices(deps);
  return async (input) => {
    const s = await settings.get();
    const base = { audience: input.audience, userId: input.user.id, ...(input.ip ? { ip: input.ip } : {}) };
    let duoUsername: string;
    try {
      duoUsername = await policy.duoUsername(s, input.audience, input.user);
    } catch (error) {
      if (!(error instanceof DuoIdentityError)) throw error;
      // Which rule refused stays in the audit log: telling the client would say whose address it typed.
      await audit.log('step.denied', { ...base, outcome: 'identity', detail: { refusal: error.refusal } });
      throw new DuoDeniedError("This account cannot be checked with Duo; ask the site's administrator", 'identity');
    }
    // A sign-in reads the account's enrolment once: for a break-glass pass, and whether a grace period can apply.
    const enrollment = input.purpose === 'login' ? await enrollments.find(input.audience, input.user.id) : null;
    // A break-glass pass (granted at the server's command line) lets one sign-in through without Duo.
    if (enrollment !== null && (await enrollments.consumeRecovery(input.audience, input.user.id, enrollment))) {
      await audit.log('login.recovery', { ...base, outcome: 'admitted', detail: { via: 'cli' } });
      return { kind: 'allow', via: 'recovery', duoUsername };
    }
    if (s.integration === 'universal') return universal(input, s, duoUsername, base);
    // Checked by the plugin first (this account, this audience, this enrolment), then by Duo (its policy's period).
    const trustedDeviceToken =
      input.purpose === 'login'
        ? await remember.open(s, input.audience, input.user.id, input.remembered, base)
        : undefined;
    let preauth: DuoPreauthResult;
    try {
      preauth = await duo(s).preauth({
        username: duoUsername,
        clientSupportsVerifiedPush: true,
        ...(input.ip ? { ipaddr: input.ip } : {}),
        ...(trustedDeviceToken === undefined ? {} : { trustedDeviceToken }),
      });
    } catch (error) {
      await offerBackupCodes(input, error, s, duoUsername, base);
      await onDuoFailure({ ...base, purpose: input.purpose, ip: input.ip ?? null }, error, s);
      return { kind: 'allow', via: 'fail-open', duoUsername };
    }
    if (preauth.result === 'allow') {
      // With a device presented, Duo's allow is (in all likelihood) its remembered-devices policy: said apart.
      const event = trustedDeviceToken === undefined ? 'login.bypass' : 'login.remembered';
      await audit.log(event, { ...base, outcome: 'allowed', detail: { duo: 'allow' } });
      return { kind: 'allow', via: 'bypass', duoUsername };
    }
    if (preauth.result === 'deny') {
      await audit.log('step.denied', { ...base, outcome: 'denied', detail: { duo: 'deny' } });
      throw new DuoDeniedError(
        `Duo refused this sign-in${preauth.statusMsg ? `: ${preauth.statusMsg}` : ''}`,
        'duo-deny',
      );
    }
    const offered = duoOptionsFromPreauth(preauth);
    // Only a sign-in takes a backup code, and only now is it asked whether the account has any: never for Duo's
    // allow or deny. A sign-in that must enrol inside a required role's grace period: how long enrolment may wait.
    const [grace, backupCodes] =
      input.purpose === 'login'
        ? await Promise.all([
            // Grace periods are for accounts that have not turned Duo on.
            enrollment?.status === 'active' ? undefined : deps.grace.offer(input.audience, input.user.id),
            deps.backupCodes.remaining(input.audience, input.user.id).then((left) => left > 0),
          ])
        : [undefined, false];
    const view = { ...offered.view, backupCodes, ...(grace === undefined ? {} : { grace }) };
    const options = { ...offered, view };
    // The step and its audit entry: one commit.
    const { id, row } = await atomically(async () => {
      const created = await store.create({
        audience: input.audience,
        userId: input.user.id,
        purpose: input.purpose,
        duoUsername,
        challenge: options,
        flow: input.flow ?? null,
        ip: input.ip,
        ttlSeconds: config().stepTtlSeconds,
      });
      await audit.log('step.started', { ...base, outcome: options.view.result, detail: { purpose: input.purpose } });
      return created;
    });
    return {
      kind: 'step',
      details: { step: { id, expiresAt: new Date(row.expiresAt).toISOString() }, duo: options.view },
    };
  };
}
