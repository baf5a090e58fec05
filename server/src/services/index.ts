import { auditService } from '../engine/audit-service';
import { backupCodeService } from '../engine/backup-code-service';
import { duoProvider } from '../engine/duo-provider';
import { enrollmentService } from '../engine/enrollment-service';
import { graceService } from '../engine/grace-service';
import { policyService } from '../engine/policy-service';
import { stepStore } from '../engine/step-store';
import { auditLogService } from '../management/audit-log';
import { userDirectoryService } from '../management/user-directory';
import { settingsService } from '../settings/settings-service';
import { stepService } from './step';

export const services = {
  settings: settingsService,
  duo: duoProvider,
  policy: policyService,
  enrollments: enrollmentService,
  /** One-time backup codes (only their hashes). */
  backupCodes: backupCodeService,
  /** Grace periods of required roles (postponed enrolments). */
  grace: graceService,
  /** The step rows (the `step` content type). */
  steps: stepStore,
  audit: auditService,
  /** The audit entries read for people (the audit log page and its CSV). */
  auditLog: auditLogService,
  /** The step engine, with the host's adapters. */
  step: stepService,
  users: userDirectoryService,
};
