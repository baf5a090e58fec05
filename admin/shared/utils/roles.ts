import type { RoleEnforcement } from '../api/types.ts';
import { getTrad } from './getTrad.ts';

/** react-intl's message descriptor, spelled out: the unit tests' types keep react-intl out. */
interface Message {
  readonly id: string;
  readonly defaultMessage: string;
}

/** What the page offers per role: the audience default (no override) or one of the three levels. */
export type RoleChoice = 'default' | RoleEnforcement['enforcement'];
export const ROLE_CHOICES: readonly RoleChoice[] = ['default', 'off', 'optional', 'required'];

/** The kind of grace period a required role grants on the page. */
export type GraceKind = 'none' | 'days' | 'logins';

export function roleChoice(roles: readonly RoleEnforcement[], role: number): RoleChoice {
  return roles.find((entry) => entry.role === role)?.enforcement ?? 'default';
}

export function graceOf(roles: readonly RoleEnforcement[], role: number): { kind: GraceKind; count: string } {
  const entry = roles.find((candidate) => candidate.role === role);
  if (entry?.graceDays !== undefined) return { kind: 'days', count: String(entry.graceDays) };
  if (entry?.graceLogins !== undefined) return { kind: 'logins', count: String(entry.graceLogins) };
  return { kind: 'none', count: '' };
}

/** The overrides with one role's level changed; `default` removes its override. A new level keeps no grace. */
export function withRoleChoice(roles: readonly RoleEnforcement[], role: number, choice: RoleChoice): RoleEnforcement[] {
  const others = roles.filter((entry) => entry.role !== role);
  return choice === 'default' ? others : [...others, { role, enforcement: choice }];
}

/**
 * The overrides with a required role's grace period changed. A count that is not a whole number is kept out (the
 * role has none) rather than sent: the server's checks answer for the range.
 */
export function withGrace(
  roles: readonly RoleEnforcement[],
  role: number,
  kind: GraceKind,
  count: string,
): RoleEnforcement[] {
  return roles.map((entry) => {
    if (entry.role !== role || entry.enforcement !== 'required') return entry;
    const bare: RoleEnforcement = { role: entry.role, enforcement: 'required' };
    const value = Number(count);
    if (kind === 'none' || count.trim() === '' || !Number.isInteger(value)) return bare;
    return kind === 'days' ? { ...bare, graceDays: value } : { ...bare, graceLogins: value };
  });
}

/** The words of the roles list, for both admins. */
export const ROLE_MESSAGES = {
  title: { id: getTrad('settings.form.roles.title'), defaultMessage: 'Enforcement per role' },
  hint: {
    id: getTrad('settings.form.roles.hint'),
    defaultMessage:
      'A role set here overrides the enforcement above for its members; with several roles, the strictest applies.',
  },
  loadError: { id: getTrad('settings.form.roles.loadError'), defaultMessage: 'The roles could not be loaded.' },
  grace: { id: getTrad('settings.form.roles.grace'), defaultMessage: 'Grace period' },
  count: { id: getTrad('settings.form.roles.grace.count'), defaultMessage: 'Length' },
} satisfies Record<string, Message>;

export const ROLE_CHOICE_LABELS: Record<RoleChoice, Message> = {
  default: { id: getTrad('settings.form.roles.default'), defaultMessage: 'As above' },
  off: { id: getTrad('settings.form.roles.off'), defaultMessage: 'Off (not asked, not offered)' },
  optional: { id: getTrad('settings.form.roles.optional'), defaultMessage: 'Optional' },
  required: { id: getTrad('settings.form.roles.required'), defaultMessage: 'Required' },
};

export const GRACE_KINDS: readonly GraceKind[] = ['none', 'days', 'logins'];
export const GRACE_LABELS: Record<GraceKind, Message> = {
  none: { id: getTrad('settings.form.roles.grace.none'), defaultMessage: 'None: enrol at the next sign-in' },
  days: { id: getTrad('settings.form.roles.grace.days'), defaultMessage: 'Days' },
  logins: { id: getTrad('settings.form.roles.grace.logins'), defaultMessage: 'Sign-ins' },
};
