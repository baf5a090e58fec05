import { runFaultMatrix } from '../helpers/fault-matrix';

/**
 * Issue 6, fault matrix, fail mode `closed` (the default), clients and staff: whenever Duo cannot be used the login
 * is refused with DuoUnavailableError in bounded time, audited, with no token anywhere; slowness under the deadline
 * and a skewed clock are absorbed and the login goes on to the Duo step; Duo failing inside the Duo step refuses
 * that call and leaves the step usable. Then the same boot switched to Duo's Universal Prompt: its health
 * check as the Auth API's preauth, and nothing failing open once the browser went to Duo (any fault at the token
 * exchange sends it back with `duo_error`). The cases: tests/helpers/faults.ts, tests/helpers/universal-fault-cases.ts.
 */
runFaultMatrix('closed');
