/**
 * Errors in Duo's envelope. The HTTP status is the first three digits of the code, as in every captured Duo reply.
 */
export class DuoApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'DuoApiError';
  }

  get httpStatus(): number {
    return Math.floor(this.code / 100);
  }

  toBody(): { stat: 'FAIL'; code: number; message: string; message_detail?: string } {
    return {
      stat: 'FAIL',
      code: this.code,
      message: this.message,
      ...(this.detail === undefined ? {} : { message_detail: this.detail }),
    };
  }
}

export const missingParameter = (name: string): DuoApiError =>
  new DuoApiError(40001, 'Missing required request parameters', name);
export const invalidParameter = (detail: string): DuoApiError =>
  new DuoApiError(40002, 'Invalid request parameters', detail);
/** Duo documents 40101 only in third-party summaries; mockduo answers an empty 401. A body is easier to debug. */
export const missingCredentials = (): DuoApiError => new DuoApiError(40101, 'Missing request credentials');
export const invalidIntegrationKey = (): DuoApiError =>
  new DuoApiError(40102, 'Invalid integration key in request credentials');
export const invalidSignature = (): DuoApiError => new DuoApiError(40103, 'Invalid signature in request credentials');
export const badTimestamp = (): DuoApiError => new DuoApiError(40105, 'Bad request timestamp');
export const wrongIntegrationType = (): DuoApiError =>
  new DuoApiError(40301, 'Access forbidden', 'Wrong integration type for this API.');
export const notFound = (): DuoApiError => new DuoApiError(40401, 'Resource not found');
export const methodNotAllowed = (): DuoApiError => new DuoApiError(40501, 'Method not allowed');
export const tooManyRequests = (): DuoApiError => new DuoApiError(42901, 'Too Many Requests');

/** Misuse of the control API (in code or over HTTP): an unknown txid, a wrong Verified Push code, a bad spec. */
export class SandboxControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxControlError';
  }
}
