import { DuoError } from '../../duo/errors';
import type { Audience } from '../../settings/types';
import { duoOptionsFromPreauth, type DuoOptions, type StoredDuoOptions } from '../duo-options';
import { DuoFactorError } from '../errors';
import type { StepRow } from '../step-store';
import { auditBase, type StepAccess } from './access';
import type { OnDuoFailure } from './duo-failure';
import type { StepOutcome } from './outcome';
import type { StepEngineDeps, StepState } from './types';

export interface StepActivation {
  /**
   * Enrolment inside the step (a user Duo does not know yet): creates the Duo user and a Duo Mobile activation,
   * and returns the QR code, link and code to show. The activation is kept sealed for polling.
   */
  start(audience: Audience, id: unknown): Promise<StepState>;
  /** Polls Duo for a started activation; once the phone is activated the step turns into a normal Duo check. */
  progress(row: StepRow, options: StoredDuoOptions): Promise<StepState>;
}

export function stepActivation(
  { store, audit, enrollments, settings, secrets, duo }: StepEngineDeps,
  access: StepAccess,
  onDuoFailure: OnDuoFailure,
  outcome: Pick<StepOutcome, 'failedOpen'>,
): StepActivation {
  return {
    async progress(row, options) {
      const enrollment = await enrollments.find(row.audience, row.userId);
      const opened = enrollment?.activationSealed ? secrets.open(enrollment.activationSealed) : undefined;
      const s = await settings.get();
      const toAuth = async (): Promise<StepState | undefined> => {
        const preauth = await duo(s).preauth({
          username: row.duoUsername,
          clientSupportsVerifiedPush: true,
          ...(row.ip ? { ipaddr: row.ip } : {}),
        });
        if (preauth.result !== 'auth') return undefined;
        const fresh = duoOptionsFromPreauth(preauth);
        // Codes come when the step finishes: whether the account had any holds for the rest of the step.
        const { backupCodes } = options.view;
        const next = backupCodes === undefined ? fresh : { ...fresh, view: { ...fresh.view, backupCodes } };
        await store.update(row, { challenge: next });
        return { state: 'pending', duo: next.view, message: 'Duo Mobile is activated: approve one sign-in to finish' };
      };
      try {
        if (options.view.result !== 'enroll' || options.view.activation === undefined || opened === undefined) {
          // Enrolment through Duo's own portal: Duo's preauth tells when a device was added.
          return (await toAuth()) ?? { state: 'enrolling', duo: options.view };
        }
        const { userId, activationCode } = JSON.parse(opened) as { userId: string; activationCode: string };
        const progress = await duo(s).enrollStatus({ userId, activationCode });
        if (progress === 'waiting') return { state: 'enrolling', duo: options.view };
        if (progress === 'invalid') {
          const view: DuoOptions = {
            result: 'enroll',
            ...(options.view.enrollPortalUrl ? { enrollPortalUrl: options.view.enrollPortalUrl } : {}),
            ...(options.view.backupCodes === undefined ? {} : { backupCodes: options.view.backupCodes }),
          };
          await store.update(row, { challenge: { view } });
          return { state: 'enrolling', duo: view, message: 'The activation expired; start it again' };
        }
        return (await toAuth()) ?? { state: 'enrolling', duo: options.view };
      } catch (error) {
        if (error instanceof DuoError && (error.reason === 'timeout' || error.reason === 'rate-limited')) {
          return { state: 'enrolling', duo: options.view };
        }
        if (!(error instanceof DuoError)) throw error;
        // As on every other call of the step: the fail mode decides (a raw DuoError would be an HTTP 500).
        await onDuoFailure(row, error, s);
        return outcome.failedOpen(row);
      }
    },

    async start(audience, id) {
      const row = await access.load(audience, id);
      const options = access.requireLive(row);
      if (options.view.result !== 'enroll')
        throw new DuoFactorError('enroll', 'This account is already enrolled with Duo');
      const s = await settings.get();
      const ttlSeconds = Math.max(60, Math.round((Date.parse(row.expiresAt) - Date.now()) / 1000));
      let enrollment;
      try {
        enrollment = await duo(s).enroll({ username: row.duoUsername, validSecs: ttlSeconds });
      } catch (error) {
        if (error instanceof DuoError && error.reason === 'api' && options.view.enrollPortalUrl !== undefined) {
          // Duo already has this username without a device: its own portal is the way to add one.
          return {
            state: 'enrolling',
            duo: options.view,
            message: "Add a device in Duo's enrolment portal, then continue",
          };
        }
        if (error instanceof DuoError && error.reason === 'api')
          throw new DuoFactorError('enroll', `Duo could not start the enrolment: ${error.duoMessage ?? 'refused'}`);
        await onDuoFailure(row, error, s);
        return outcome.failedOpen(row);
      }
      const activation = {
        qrCodeUrl: enrollment.activationBarcode,
        activationUrl: enrollment.activationUrl,
        activationCode: enrollment.activationCode,
        expiresAt: new Date(enrollment.expiration * 1000).toISOString(),
      };
      const sealed = secrets.seal(
        JSON.stringify({ userId: enrollment.userId, activationCode: enrollment.activationCode }),
      );
      await enrollments.startActivation(row.audience, row.userId, row.duoUsername, enrollment.userId, sealed);
      // Kept sealed on the step (as on the enrolment): a database reader must not be able to activate.
      const { activation: _previous, ...bare } = options.view;
      const view: DuoOptions = { ...bare, activation };
      await store.update(row, {
        challenge: {
          ...options,
          view: bare,
          duoUserId: enrollment.userId,
          activationSealed: secrets.seal(JSON.stringify(activation)),
        },
      });
      await audit.log('enroll.started', { ...auditBase(row), outcome: 'activation' });
      return { state: 'enrolling', duo: view };
    },
  };
}
