export { DuoAuthClient, type DuoAuthClientOptions, type DuoTimeouts } from './client';
export { DuoError, DUO_ERROR_CODES, type DuoErrorReason } from './errors';
export { isDuoApiHostname, isLoopbackHost, resolveDuoEndpoint, type DuoEndpoint } from './hostname-policy';
export {
  canonicalize,
  canonicalParams,
  formatRfc2822,
  percentEncode,
  sign,
  type CanonicalVersion,
  type SignatureVersion,
} from './signing';
export type * from './types';
export * from './universal';
