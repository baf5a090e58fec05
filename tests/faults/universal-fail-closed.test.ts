import { runUniversalFaultMatrix } from '../helpers/universal-faults';

/**
 * Issue 15 item 6, the Universal Prompt's fault matrix, fail mode `closed`, clients and staff: Duo out of reach at
 * the health check refuses the login with DuoUnavailableError in bounded time, audited; Duo refusing this server
 * refuses too; slowness under the deadline and one short 429 are absorbed (the authorize URL). Any fault at the
 * token exchange sends the browser back with `duo_error`, never a completion code. The cases:
 * tests/helpers/universal-fault-cases.ts.
 */
runUniversalFaultMatrix('closed');
