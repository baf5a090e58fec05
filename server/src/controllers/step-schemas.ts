import { yup } from '@strapi/utils';

/**
 * Request bodies of the Duo step endpoints. The step id travels in the body (field `transaction`), never in a URL that
 * gets logged.
 */
const stepId = yup
  .string()
  .required('transaction is required')
  .matches(/^[A-Za-z0-9_-]{43}$/, 'transaction is not a valid transaction id');
const device = yup
  .string()
  .max(64, 'device is not a valid device id')
  .matches(/^[A-Za-z0-9]+$/, {
    message: 'device is not a valid device id',
    excludeEmptyString: true,
  });

export const STEP_SHAPE = { transaction: true, device: true } as const;
export const PASSCODE_SHAPE = { transaction: true, passcode: true } as const;
export const STATUS_SHAPE = { transaction: true, wait: true } as const;
export const STEP_ID_SHAPE = { transaction: true } as const;

export const stepSchema = yup.object({ transaction: stepId, device }).noUnknown().strict();
export const passcodeSchema = yup
  .object({
    transaction: stepId,
    // Duo passcodes are digits: Duo Mobile and SMS (6), hardware tokens (6–8), bypass codes (up to 9 or more).
    passcode: yup
      .string()
      .typeError('passcode must be a string of digits')
      .required('passcode is required')
      .matches(/^[0-9]{4,16}$/, 'passcode must be 4 to 16 digits'),
  })
  .noUnknown()
  .strict();
export const statusSchema = yup.object({ transaction: stepId, wait: yup.boolean() }).noUnknown().strict();
export const stepIdSchema = yup.object({ transaction: stepId }).noUnknown().strict();

export interface StepBody {
  readonly transaction: string;
  readonly device?: string;
}
export interface PasscodeBody {
  readonly transaction: string;
  readonly passcode: string;
}
export interface StatusBody {
  readonly transaction: string;
  readonly wait?: boolean;
}
