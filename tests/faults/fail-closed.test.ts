import { runFaultMatrix } from '../helpers/faults';

/**
 * Issue 6, fault matrix, fail mode `closed` (the default), clients and staff: whenever Duo cannot be used the login
 * is refused with DuoUnavailableError in bounded time, audited, with no token anywhere; slowness under the deadline
 * and a skewed clock are absorbed and the login goes on to the Duo step; Duo failing inside the Duo step refuses
 * that call and leaves the step usable. The cases: tests/helpers/faults.ts.
 */
runFaultMatrix('closed');
