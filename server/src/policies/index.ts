import { isClient } from './is-client';

export const policies = { 'is-client': isClient };
