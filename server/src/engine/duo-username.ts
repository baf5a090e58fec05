import type { Audience, EffectiveSettings } from '../settings/types';

/** What the mapping needs to know about the world; each host reads it from its own Strapi. */
export interface IdentityFacts {
  /** users-permissions' "Enable email confirmation": without it, any address can be typed in at registration. */
  clientEmailsConfirmed(): Promise<boolean>;
  /** Whether this client confirmed their e-mail address. */
  clientConfirmed(userId: number): Promise<boolean>;
  /** Whether an administrator account has this e-mail address (case-insensitive). */
  isStaffEmail(email: string): Promise<boolean>;
  /** The account whose Duo enrolment is recorded under this Duo username (case-insensitive), if any. */
  enrolledUnder(duoUsername: string): Promise<{ readonly audience: Audience; readonly userId: number } | undefined>;
}

export interface IdentityUser {
  readonly id: number;
  readonly email?: string | null;
  readonly username?: string | null;
}

/** Why a client cannot be given a Duo username: kept in the audit log, never told to the client. */
export type IdentityRefusal =
  'no-username' | 'email-confirmation-off' | 'unconfirmed-email' | 'staff-email' | 'enrolled-elsewhere';

export class DuoIdentityError extends Error {
  constructor(readonly refusal: IdentityRefusal) {
    super(`No Duo username for this account (${refusal})`);
    this.name = 'DuoIdentityError';
  }
}

/**
 * The Duo username of a Strapi user. Duo users are account-wide: whoever maps to a Duo username sees that person's
 * phones and can send them pushes. Staff accounts are made by administrators, so their e-mail or username is theirs.
 * A client types their own e-mail and username at registration, so by default clients map by id under a prefix
 * (no "@" or "\", which Duo's username normalization would cut at), a name no input can steer; an e-mail address
 * is used only once the app has confirmed it, and never one that is a staff member's or another account's.
 */
export async function duoUsernameOf(
  settings: EffectiveSettings,
  audience: Audience,
  user: IdentityUser,
  clientPrefix: string,
  facts: IdentityFacts,
): Promise<string> {
  const source = settings[audience].usernameSource;
  if (audience === 'clients' && source === 'id') return `${clientPrefix}${user.id}`;
  if (audience === 'staff') {
    const preferred = source === 'username' ? user.username : user.email;
    const name = (preferred ?? user.email ?? user.username ?? '').trim();
    if (name === '') throw new DuoIdentityError('no-username');
    return name;
  }
  const email = (user.email ?? '').trim();
  if (email === '') throw new DuoIdentityError('no-username');
  if (!(await facts.clientEmailsConfirmed())) throw new DuoIdentityError('email-confirmation-off');
  if (!(await facts.clientConfirmed(user.id))) throw new DuoIdentityError('unconfirmed-email');
  if (await facts.isStaffEmail(email)) throw new DuoIdentityError('staff-email');
  const owner = await facts.enrolledUnder(email);
  if (owner !== undefined && (owner.audience !== 'clients' || owner.userId !== user.id))
    throw new DuoIdentityError('enrolled-elsewhere');
  return email;
}
