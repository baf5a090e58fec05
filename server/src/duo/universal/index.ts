export { DuoUniversalClient } from './client';
export { generateNonce, generateState } from './authorize-request';
export { ID_TOKEN_LEEWAY_SECONDS } from './id-token';
export type {
  DuoAuthorization,
  DuoAuthorizationRequest,
  DuoCodeExchange,
  DuoHealth,
  DuoUniversalClientOptions,
  DuoUniversalResult,
} from './types';
