import type { Strapi } from '@strapi/strapi';

import { pluginService } from '../plugin-services';
import type { Audience } from '../settings/types';
import { query, UIDS } from './db';
import type { GraceRule } from './role-enforcement';

const DAY_MS = 86_400_000;

interface GraceRow {
  readonly id: number;
  readonly audience: Audience;
  readonly userId: number;
  readonly firstPostponedAt: string;
  readonly postponedCount: number;
}

/**
 * What a user without Duo is told while they may still postpone enrolment: the days left and when the period
 * ends (it starts at the first postponement), or how many more sign-ins may be postponed (this one included).
 */
export type GraceView = { readonly daysLeft: number; readonly until: string } | { readonly loginsLeft: number };

function standing(rule: GraceRule, row: GraceRow | null, now: number): GraceView | undefined {
  if ('days' in rule) {
    const start = row === null ? now : Date.parse(row.firstPostponedAt);
    const until = start + rule.days * DAY_MS;
    if (now >= until) return undefined;
    return { daysLeft: Math.ceil((until - now) / DAY_MS), until: new Date(until).toISOString() };
  }
  const left = rule.logins - (row?.postponedCount ?? 0);
  return left > 0 ? { loginsLeft: left } : undefined;
}

/** Forgets an account's grace (it enrolled, or was reset: a later requirement starts a new period). */
export async function forgetGrace(strapi: Strapi, audience: Audience, userId: number): Promise<void> {
  await query<GraceRow>(strapi, UIDS.enrolmentGrace).deleteMany({ where: { audience, userId } });
}

/**
 * Grace periods of required roles. The rule comes from the policy at each call (settings and roles as they are
 * now), never from the step: a role changed meanwhile ends a grace at once. Each postponement is a conditional
 * update on the account's row, so two sign-ins racing (on one instance or two) cannot both take the last one.
 */
export const graceService = ({ strapi }: { strapi: Strapi }) => {
  const table = () => query<GraceRow>(strapi, UIDS.enrolmentGrace);
  const find = (audience: Audience, userId: number) => table().findOne({ where: { audience, userId } });

  /** The grace rule of a user who must enrol now, if their roles grant one. */
  const ruleOf = async (audience: Audience, userId: number): Promise<GraceRule | undefined> => {
    const requirement = await pluginService(strapi, 'policy').requirement(audience, userId);
    return requirement.needed && !requirement.enrolled ? requirement.grace : undefined;
  };

  return {
    /** Whether this user may postpone enrolment now, and how much is left; undefined when not (or no longer). */
    async offer(audience: Audience, userId: number): Promise<GraceView | undefined> {
      const rule = await ruleOf(audience, userId);
      if (rule === undefined) return undefined;
      return standing(rule, await find(audience, userId), Date.now());
    },

    /** Takes one postponement: what is left after it, or undefined when the grace is over (nothing taken). */
    async postpone(audience: Audience, userId: number): Promise<GraceView | undefined> {
      const rule = await ruleOf(audience, userId);
      if (rule === undefined) return undefined;
      const now = Date.now();
      const row = await find(audience, userId);
      if (standing(rule, row, now) === undefined) return undefined;
      if (row === null) {
        try {
          const created = await table().create({
            data: { audience, userId, firstPostponedAt: new Date(now).toISOString(), postponedCount: 1 },
          });
          return standing(rule, created, now) ?? { loginsLeft: 0 };
        } catch (error) {
          // Another sign-in of this account created the row first (the unique index refused ours): that one
          // counted, and this one is refused rather than retried (the user signs in again).
          if ((await find(audience, userId)) === null) throw error;
          return undefined;
        }
      }
      const { count } = await table().updateMany({
        where: { id: row.id, postponedCount: row.postponedCount },
        data: { postponedCount: row.postponedCount + 1 },
      });
      if (count !== 1) return undefined;
      return standing(rule, { ...row, postponedCount: row.postponedCount + 1 }, now) ?? { loginsLeft: 0 };
    },

    forget: (audience: Audience, userId: number) => forgetGrace(strapi, audience, userId),
  };
};

export type GraceService = ReturnType<typeof graceService>;
