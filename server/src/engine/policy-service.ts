import type { Strapi } from '@strapi/strapi';

import { DEFAULT_CLIENT_USERNAME_PREFIX, pluginConfig } from '../config';
import { identityFacts } from '../identity-facts';
import { pluginService } from '../plugin-services';
import { roleIdsOf } from '../role-facts';
import type { Audience, EffectiveSettings } from '../settings/types';
import { duoUsernameOf, type IdentityUser } from './duo-username';
import { resolveEnforcement, type GraceRule, type ResolvedEnforcement } from './role-enforcement';

export type Requirement =
  | { readonly needed: false }
  | {
      readonly needed: true;
      readonly settings: EffectiveSettings;
      /** The account turned Duo on itself; false means enforcement requires it and enrolment happens at login. */
      readonly enrolled: boolean;
      /** Not enrolled, under a required role that grants a grace period: enrolment may be postponed within it. */
      readonly grace?: GraceRule;
    };

export type DuoIdentity = IdentityUser;

/**
 * Does this user need Duo now? Activated, enabled for the audience, and required (the audience default or the
 * user's roles) or turned on by the user. A role set to `off` never takes Duo away from an account that turned it on:
 * whoever holds the password would otherwise get in without the second factor its owner chose.
 */
export const policyService = ({ strapi }: { strapi: Strapi }) => {
  // Token verification runs on every authenticated request: remember answers as long as settings are cached.
  // Each answer remembers the settings it was computed from: a settings change made here (a new settings object)
  // is seen at once.
  const cache = new Map<
    string,
    { readonly expires: number; readonly settings: EffectiveSettings; readonly value: Requirement }
  >();
  const CACHE_LIMIT = 10_000;

  /** The user's enforcement: the audience default, or the strictest of their roles' overrides. */
  const enforcementFor = async (
    settings: EffectiveSettings,
    audience: Audience,
    userId: number,
  ): Promise<ResolvedEnforcement> => {
    const own = settings[audience];
    // Without overrides the roles cannot change anything: no query on the hot path.
    if (own.roles.length === 0) return { enforcement: own.enforcement };
    return resolveEnforcement(own, await roleIdsOf(strapi, audience, userId));
  };

  const requirement = async (audience: Audience, userId: number): Promise<Requirement> => {
    const settings = await pluginService(strapi, 'settings').get();
    if (!settings.activated || !settings[audience].enabled) return { needed: false };
    const enrolled = await pluginService(strapi, 'enrollments').isActive(audience, userId);
    if (enrolled) return { needed: true, settings, enrolled };
    const { enforcement, grace } = await enforcementFor(settings, audience, userId);
    if (enforcement === 'required') return { needed: true, settings, enrolled, ...(grace ? { grace } : {}) };
    return { needed: false };
  };

  return {
    requirement,

    /** The user's enforcement now (audience default or roles), whatever their enrolment. */
    async enforcement(audience: Audience, userId: number): Promise<ResolvedEnforcement> {
      return enforcementFor(await pluginService(strapi, 'settings').get(), audience, userId);
    },

    /**
     * `requirement`, remembered for `settingsCacheSeconds` per user: a change made on another instance is seen
     * within that bound; changes made here are seen at once (`forget`, and new settings objects).
     */
    async cachedRequirement(audience: Audience, userId: number): Promise<Requirement> {
      const settings = await pluginService(strapi, 'settings').get();
      if (!settings.activated || !settings[audience].enabled) return { needed: false };
      const key = `${audience}:${userId}`;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit !== undefined && hit.expires > now && hit.settings === settings) return hit.value;
      const value = await requirement(audience, userId);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      const seconds = pluginConfig(strapi).settingsCacheSeconds ?? 5;
      cache.set(key, { expires: now + seconds * 1000, settings, value });
      return value;
    },

    forget(audience: Audience, userId: number): void {
      cache.delete(`${audience}:${userId}`);
    },

    /** Whether Duo is in force for the audience at all (activated and enabled): the cheap check on hot paths. */
    async audienceEnabled(audience: Audience): Promise<boolean> {
      const settings = await pluginService(strapi, 'settings').get();
      return settings.activated && settings[audience].enabled;
    },

    /** The Duo username of a Strapi user (see `duoUsernameOf`); throws `DuoIdentityError` when there is none. */
    duoUsername(settings: EffectiveSettings, audience: Audience, user: DuoIdentity): Promise<string> {
      const prefix = pluginConfig(strapi).clientUsernamePrefix ?? DEFAULT_CLIENT_USERNAME_PREFIX;
      return duoUsernameOf(settings, audience, user, prefix, identityFacts(strapi));
    },
  };
};

export type PolicyService = ReturnType<typeof policyService>;
