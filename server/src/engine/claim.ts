/**
 * The claim every token minted after the Duo step carries. Token verification refuses a token without it for a user
 * who must use Duo, so a login path nobody thought of still fails closed.
 *
 * - `allow`: Duo approved the second factor.
 * - `bypass`: Duo's preauth said allow (a bypass user or a Duo policy).
 * - `fail-open`: Duo was unreachable and the audience's fail mode is open (audited).
 * - `recovery`: a one-time break-glass pass from the server's command line (audited).
 * - `backup-code`: one of the account's one-time backup codes stood in for Duo (audited).
 * - `postponed`: an account without Duo postponed its enrolment within its required role's grace period (audited).
 */
export const DUO_CLAIM = 'duo';
export type DuoClaimValue = 'allow' | 'bypass' | 'fail-open' | 'recovery' | 'backup-code' | 'postponed';
const VALUES: readonly string[] = ['allow', 'bypass', 'fail-open', 'recovery', 'backup-code', 'postponed'];

export function readDuoClaim(payload: unknown): DuoClaimValue | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const value = (payload as Record<string, unknown>)[DUO_CLAIM];
  return typeof value === 'string' && VALUES.includes(value) ? (value as DuoClaimValue) : undefined;
}
