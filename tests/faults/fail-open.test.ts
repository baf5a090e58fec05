import { runFaultMatrix } from '../helpers/fault-matrix';

/**
 * Issue 6, fault matrix, fail mode `open`, clients and staff: whenever Duo cannot be used the password login is
 * admitted in bounded time with a token whose `duo` claim is `fail-open`, and a `login.fail-open` audit entry says
 * why; slowness under the deadline and a skewed clock are absorbed (the Duo step, not a fail-open pass); Duo failing
 * inside the Duo step lets that step through. Then the same boot switched to Duo's Universal Prompt: its health
 * check as the Auth API's preauth, and nothing failing open once the browser went to Duo (any fault at the token
 * exchange sends it back with `duo_error`). The cases: tests/helpers/faults.ts, tests/helpers/universal-fault-cases.ts.
 */
runFaultMatrix('open');
