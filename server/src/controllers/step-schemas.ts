import { yup } from '../utils/strapi-utils';

/**
 * Request bodies of the Duo step endpoints. The step id travels in the body (field `step`), never in a URL that
 * gets logged.
 */
const stepId = yup
  .string()
  .required('step is required')
  .matches(/^[A-Za-z0-9_-]{43}$/, 'step is not a valid step id');
const device = yup
  .string()
  .max(64, 'device is not a valid device id')
  .matches(/^[A-Za-z0-9]+$/, {
    message: 'device is not a valid device id',
    excludeEmptyString: true,
  });

export const STEP_SHAPE = { step: true, device: true } as const;
export const PASSCODE_SHAPE = { step: true, passcode: true } as const;
export const STATUS_SHAPE = { step: true, wait: true } as const;
export const STEP_ID_SHAPE = { step: true } as const;
export const COMPLETE_SHAPE = { step: true, completion: true } as const;
export const BACKUP_CODE_SHAPE = { step: true, code: true } as const;

export const stepSchema = yup.object({ step: stepId, device }).noUnknown().strict();
export const passcodeSchema = yup
  .object({
    step: stepId,
    // Duo passcodes are digits: Duo Mobile and SMS (6), hardware tokens (6–8), bypass codes (up to 9 or more).
    passcode: yup
      .string()
      .typeError('passcode must be a string of digits')
      .required('passcode is required')
      .matches(/^[0-9]{4,16}$/, 'passcode must be 4 to 16 digits'),
  })
  .noUnknown()
  .strict();
export const statusSchema = yup.object({ step: stepId, wait: yup.boolean() }).noUnknown().strict();
export const stepIdSchema = yup.object({ step: stepId }).noUnknown().strict();
export const backupCodeSchema = yup
  .object({
    step: stepId,
    // `XXXXX-XXXXX` as printed; spaces, dashes and case are forgiven, so only the length is checked here.
    code: yup
      .string()
      .typeError('code must be a string')
      .required('code is required')
      .max(40, 'code is not a backup code'),
  })
  .noUnknown()
  .strict();
export const completeSchema = yup
  .object({
    step: stepId,
    // What the Universal Prompt callback put in the return URL's fragment (`duo_completion`).
    completion: yup
      .string()
      .typeError('completion must be a string')
      .required('completion is required')
      .matches(/^[A-Za-z0-9_-]{43}$/, 'completion is not a valid completion code'),
  })
  .noUnknown()
  .strict();

export interface StepBody {
  readonly step: string;
  readonly device?: string;
}
export interface PasscodeBody {
  readonly step: string;
  readonly passcode: string;
}
export interface StatusBody {
  readonly step: string;
  readonly wait?: boolean;
}
export interface CompleteBody {
  readonly step: string;
  readonly completion: string;
}
export interface BackupCodeBody {
  readonly step: string;
  readonly code: string;
}
