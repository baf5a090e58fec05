import { runUniversalFaultMatrix } from '../helpers/universal-faults';

/**
 * Issue 15 item 6, the Universal Prompt's fault matrix, fail mode `open`, clients and staff: Duo out of reach at the
 * health check (before the browser leaves) admits the password login with a `fail-open` session, audited; Duo
 * refusing this server still refuses. Once the browser went to Duo nothing fails open: any fault at the token
 * exchange sends it back with `duo_error`, never a completion code. The cases: tests/helpers/universal-fault-cases.ts.
 */
runUniversalFaultMatrix('open');
