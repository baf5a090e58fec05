import { stepAccess } from './access';
import { stepActivation } from './activation';
import { backupCodeFactor } from './backup-code';
import { beginStep } from './begin';
import { duoFailureHandler } from './duo-failure';
import { deviceFactors } from './factors';
import { stepOutcome } from './outcome';
import { passcodeFactor } from './passcode';
import { passcodeLimiter } from './passcode-limit';
import { postponeEnrolment } from './postpone';
import { promptLimiter } from './prompts';
import { stepStatus } from './status';
import type { StepEngine, StepEngineDeps } from './types';
import { universalReturn } from './universal-return';

export type {
  BeginInput,
  BeginResult,
  StepAnswer,
  StepConfig,
  StepEngine,
  StepEngineDeps,
  StepState,
  UniversalCallbackResult,
  UniversalReturn,
} from './types';

/**
 * The Duo step, built from what it is handed: a store for step rows, the audit trail, enrolments, settings and
 * secrets, the Duo client, and one adapter per audience from the host. No Strapi, no globals: the same engine
 * serves every host.
 */
export function createStepEngine(deps: StepEngineDeps): StepEngine {
  const access = stepAccess(deps);
  const onDuoFailure = duoFailureHandler(deps);
  const outcome = stepOutcome(deps);
  const activation = stepActivation(deps, access, onDuoFailure, outcome);
  const prompts = promptLimiter(deps, access);
  const factors = deviceFactors(deps, access, onDuoFailure, outcome, prompts);
  const { status, cancel } = stepStatus(deps, access, activation, onDuoFailure, outcome, prompts);
  const { universalCallback, complete } = universalReturn(deps, access, outcome);
  return {
    universalCallback,
    complete,
    begin: beginStep(deps, onDuoFailure),
    startOutOfBand: factors.startOutOfBand,
    sendSms: factors.sendSms,
    submitPasscode: passcodeFactor(deps, access, passcodeLimiter(deps, access), onDuoFailure, outcome),
    submitBackupCode: backupCodeFactor(deps, access, passcodeLimiter(deps, access), outcome),
    postpone: postponeEnrolment(deps, access, outcome),
    status,
    startActivation: activation.start,
    cancel,
    completeEnable: outcome.completeEnable,
  };
}
