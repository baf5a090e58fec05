import type { AudienceSettings, RoleEnforcementLevel } from '../settings/types';

/** How long a user without Duo may postpone enrolment under a `required` role. */
export type GraceRule = { readonly days: number } | { readonly logins: number };

export interface ResolvedEnforcement {
  readonly enforcement: RoleEnforcementLevel;
  /** Only with `required`, when the role that made it required grants one. */
  readonly grace?: GraceRule;
}

const RANK: Readonly<Record<RoleEnforcementLevel, number>> = { off: 0, optional: 1, required: 2 };

/**
 * A user's enforcement from the audience's default and the overrides of their roles. Each role counts with its
 * override, or the audience default when it has none; the strictest wins (an admin who is also in a required role
 * must not escape Duo through a laxer one). Among required roles the shortest grace wins; a required role without
 * one leaves none (a grace period is a concession every required role must make), and so do roles granting days
 * beside roles granting sign-ins, which do not compare.
 */
export function resolveEnforcement(
  settings: Pick<AudienceSettings, 'enforcement' | 'roles'>,
  roleIds: readonly number[],
): ResolvedEnforcement {
  const levels: ResolvedEnforcement[] = (roleIds.length === 0 ? [undefined] : roleIds).map((id) => {
    const override = id === undefined ? undefined : settings.roles.find((entry) => entry.role === id);
    if (override === undefined) return { enforcement: settings.enforcement };
    if (override.enforcement !== 'required') return { enforcement: override.enforcement };
    if (override.graceDays !== undefined) return { enforcement: 'required', grace: { days: override.graceDays } };
    if (override.graceLogins !== undefined) return { enforcement: 'required', grace: { logins: override.graceLogins } };
    return { enforcement: 'required' };
  });
  const strictest = Math.max(...levels.map((level) => RANK[level.enforcement]));
  const top = levels.filter((level) => RANK[level.enforcement] === strictest);
  const enforcement = top[0]?.enforcement ?? settings.enforcement;
  if (enforcement !== 'required') return { enforcement };
  const rules = top.map((level) => level.grace);
  const days = rules.flatMap((rule) => (rule !== undefined && 'days' in rule ? [rule.days] : []));
  const logins = rules.flatMap((rule) => (rule !== undefined && 'logins' in rule ? [rule.logins] : []));
  // Days and sign-ins do not compare: roles granting different kinds leave no grace, as a role granting none does.
  if (days.length === rules.length) return { enforcement, grace: { days: Math.min(...days) } };
  if (logins.length === rules.length) return { enforcement, grace: { logins: Math.min(...logins) } };
  return { enforcement };
}
