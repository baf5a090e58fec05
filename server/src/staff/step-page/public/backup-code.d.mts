/** Types of backup-code.mjs, for the unit tests that import it (the page itself is plain JavaScript). */
import type { DuoOptions } from './session.mjs';

export declare function offersBackupCode(
  duo: DuoOptions | { result: 'unavailable' } | { result: 'universal'; authorizeUrl?: string },
): boolean;
export declare function wireBackupCode(deps: Record<string, unknown>): void;
