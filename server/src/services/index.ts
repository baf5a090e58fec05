import { auditService } from '../engine/audit-service';
import { challengeService } from '../engine/challenge-service';
import { duoProvider } from '../engine/duo-provider';
import { enrollmentService } from '../engine/enrollment-service';
import { policyService } from '../engine/policy-service';
import { stepStore } from '../engine/step-store';
import { userDirectoryService } from '../management/user-directory';
import { settingsService } from '../settings/settings-service';

export const services = {
  settings: settingsService,
  duo: duoProvider,
  policy: policyService,
  enrollments: enrollmentService,
  transactions: stepStore,
  audit: auditService,
  challenge: challengeService,
  users: userDirectoryService,
};
