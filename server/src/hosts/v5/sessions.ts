import type { Strapi } from '@strapi/strapi';
import * as strapiUtils from '../../utils/strapi-utils';
import { errors } from '../../utils/strapi-utils';

import { readDuoClaim } from '../../engine/claim';
import type { Audience } from '../../settings/types';
import { plainUserId } from '../../utils/user-id';
import type { DuoVia } from '../contract';
import { v5, type OriginSessionManager, type RequestCtx, type SessionManager } from './strapi';

/**
 * Strapi 5 sessions and Duo. Strapi 5 keeps admin and users-permissions (refresh mode) logins as rows of
 * `admin::session`, and their tokens carry a fixed payload: no claim can ride on them. So the proof that a login
 * passed Duo is a mark in the row's metadata (copied by Strapi when it rotates a refresh token), and the rule "no
 * session until Duo allows" is kept where rows are made and where they are checked:
 *
 * - creating a row for a user who must use Duo, without the mark, is refused (the row never exists);
 * - a request whose gate found such a user holds Strapi's session step back (see `holdSessions`);
 * - an access token is accepted only while its row is active and, for a user who must use Duo, marked.
 *
 * Strapi's session manager cannot be replaced or extended (the container refuses a second `sessionManager`), so
 * the plugin shadows the `strapi.sessionManager` getter of the running instance with one that wraps what it returns.
 */

const MARK = 'duoSecurity';
const SESSION_UID = 'admin::session';
const AUDIENCE_OF_ORIGIN: Readonly<Record<string, Audience>> = { admin: 'staff', 'users-permissions': 'clients' };

/** Metadata that says the session passed Duo, and how. */
export function duoMark(via: DuoVia): Record<string, unknown> {
  return { [MARK]: via };
}

/** How the session passed Duo, read from its metadata; undefined when it did not. */
export function duoMarkOf(metadata: unknown): DuoVia | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  return readDuoClaim({ duo: (metadata as Record<string, unknown>)[MARK] });
}

export function carriesDuo(metadata: unknown): boolean {
  return duoMarkOf(metadata) !== undefined;
}

/**
 * The metadata of a session opened after Duo: what Strapi records of the device (`buildSessionMetadata` of Strapi
 * 5's `@strapi/utils`, from the user agent) and the Duo mark.
 */
export function passedDuoMetadata(userAgent: string | undefined, via: DuoVia): Record<string, unknown> {
  const build = (strapiUtils as { buildSessionMetadata?: (input: { userAgent?: string }) => unknown })
    .buildSessionMetadata;
  const device = build?.({ ...(userAgent === undefined ? {} : { userAgent }) });
  return { ...(device !== null && typeof device === 'object' ? device : {}), ...duoMark(via) };
}

/** Thrown where a session would be made for a user who must pass Duo first; the gates turn it into the Duo step. */
export class SessionHeldError extends errors.ApplicationError<'SessionHeldError'> {
  constructor(
    readonly audience: Audience,
    readonly userId: number,
  ) {
    // An ApplicationError: where no gate turns it into the Duo step (another plugin signing a user in), Strapi
    // answers a 400 in its envelope rather than a 500.
    super('Two-factor authentication with Duo is required to sign in');
    this.name = 'SessionHeldError';
  }
}

export interface HeldSession<User> {
  readonly audience: Audience;
  readonly user: User;
}

const HELD = Symbol.for('duo-security.held-session');
const ACCESS_TOKEN = Symbol.for('duo-security.access-token');

interface AccessTokenClaim {
  readonly sessionId: unknown;
  readonly userId: unknown;
}

/**
 * Marks the request: its user must pass Duo, so Strapi's own session step must not run. Strapi's admin actions read
 * the session manager at the start of that step and answer a quiet 500 when there is none; the gate, which set
 * this, then answers the Duo step instead. (Throwing there instead would be logged by Strapi as a failure.)
 */
export function holdSessions<User>(ctx: RequestCtx, held: HeldSession<User>): void {
  ctx.state[HELD] = held;
}

/** The hold of this request, if any, lifted: once the gate has read it, the request may use sessions again. */
export function releaseHold<User>(ctx: RequestCtx): HeldSession<User> | undefined {
  const held = ctx.state[HELD] as HeldSession<User> | undefined;
  delete ctx.state[HELD];
  return held;
}

/** What the session guard needs to know: who must use Duo (the plugin's policy, with its cache). */
export interface SessionPolicy {
  audienceEnabled(audience: Audience): Promise<boolean>;
  requirement(audience: Audience, userId: number): Promise<{ readonly needed: boolean }>;
  cachedRequirement(audience: Audience, userId: number): Promise<{ readonly needed: boolean }>;
}

/**
 * In the plugin's register(): shadows `strapi.sessionManager` so that, for a user who must use Duo, no session is
 * made without the mark and none without it is accepted. Returns the unwrapped manager for the plugin's own use.
 */
export function guardSessionManager(strapi: Strapi, policy: () => SessionPolicy): () => SessionManager {
  const getter = findGetter(strapi);
  const base = (): SessionManager => {
    const manager = getter.call(strapi) as SessionManager | null | undefined;
    if (manager === null || manager === undefined) throw new Error('duo-security: Strapi has no session manager');
    return manager;
  };
  const sessions = sessionMarks(strapi);

  const mustPassDuo = async (origin: string, userId: string, metadata: unknown): Promise<Audience | undefined> => {
    const audience = AUDIENCE_OF_ORIGIN[origin];
    if (audience === undefined || carriesDuo(metadata) || !(await policy().audienceEnabled(audience))) return undefined;
    const id = plainUserId(userId);
    // Strapi stores numeric ids as strings; anything else names no account the plugin can check: refuse.
    if (id === undefined || (await policy().requirement(audience, id)).needed) return audience;
    return undefined;
  };

  const wrapOrigin = (origin: string, manager: OriginSessionManager): OriginSessionManager => {
    const wrapped = Object.create(manager) as OriginSessionManager;
    wrapped.generateRefreshToken = async (userId, deviceId, options) => {
      const audience = await mustPassDuo(origin, userId, options?.metadata);
      if (audience !== undefined) throw new SessionHeldError(audience, plainUserId(userId) ?? 0);
      return manager.generateRefreshToken(userId, deviceId, options);
    };
    wrapped.validateAccessToken = (token) => {
      const result = manager.validateAccessToken(token);
      // Strapi then asks whether the token's session is active, by session id alone, and signs the request in as
      // the token's user: remember whose token it was, so the session can be checked to be theirs.
      const ctx = v5(strapi).requestContext.get();
      if (ctx !== undefined && result.isValid && result.payload !== null) {
        ctx.state[ACCESS_TOKEN] = { sessionId: result.payload.sessionId, userId: result.payload.userId };
      }
      return result;
    };
    wrapped.isSessionActive = async (sessionId) => {
      if (!(await manager.isSessionActive(sessionId))) return false;
      const audience = AUDIENCE_OF_ORIGIN[origin];
      if (audience === undefined || !(await policy().audienceEnabled(audience))) return true;
      const session = await sessions.read(sessionId);
      if (session === undefined) return false;
      const claimed = v5(strapi).requestContext.get()?.state[ACCESS_TOKEN] as AccessTokenClaim | undefined;
      // A token naming one user and another user's (Duo-passed) session would sign in as the first: never theirs.
      if (claimed?.sessionId === sessionId && plainUserId(claimed.userId) !== session.userId) return false;
      if (session.marked) return true;
      return session.userId !== undefined && !(await policy().cachedRequirement(audience, session.userId)).needed;
    };
    return wrapped;
  };

  Object.defineProperty(strapi, 'sessionManager', {
    configurable: true,
    enumerable: false,
    get(): SessionManager | null {
      const ctx = v5(strapi).requestContext.get();
      // A request held by its gate: Strapi's session step finds no manager and answers without a session.
      if (ctx !== undefined && ctx.state[HELD] !== undefined) return null;
      const manager = base();
      const guarded = ((origin: string) => wrapOrigin(origin, manager(origin))) as SessionManager;
      if (manager.hasOrigin) guarded.hasOrigin = manager.hasOrigin.bind(manager);
      if (manager.defineOrigin) guarded.defineOrigin = manager.defineOrigin.bind(manager);
      return guarded;
    },
  });
  return base;
}

/**
 * In the plugin's bootstrap() (the database exists then, and no request has been served): the last line. A row for a
 * user who must use Duo is refused unless it carries the mark, whoever makes it: a path no gate knows (EE SSO), and
 * Strapi rotating a refresh token of a session from before Duo was turned on.
 */
export function refuseUnmarkedSessions(strapi: Strapi, policy: () => SessionPolicy): void {
  v5(strapi).db.lifecycles.subscribe({
    models: [SESSION_UID],
    async beforeCreate(event) {
      const data = event.params.data ?? {};
      const audience = AUDIENCE_OF_ORIGIN[String(data.origin)];
      if (audience === undefined || carriesDuo(data.metadata)) return;
      if (!(await policy().audienceEnabled(audience))) return;
      const id = plainUserId(data.userId);
      if (id === undefined || (await policy().requirement(audience, id)).needed)
        throw new SessionHeldError(audience, id ?? 0);
    },
  });
}

/** The mark of each session, remembered: it never changes for a row, and every authenticated request asks. */
function sessionMarks(strapi: Strapi) {
  const LIMIT = 10_000;
  const known = new Map<string, { readonly userId: number | undefined; readonly marked: boolean }>();
  return {
    async read(sessionId: string) {
      const hit = known.get(sessionId);
      if (hit !== undefined) return hit;
      const row = await v5(strapi)
        .db.query(SESSION_UID)
        .findOne({ where: { sessionId }, select: ['userId', 'metadata'] });
      if (row === null) return undefined;
      const entry = { userId: plainUserId(row.userId), marked: carriesDuo(row.metadata) };
      if (known.size >= LIMIT) known.clear();
      known.set(sessionId, entry);
      return entry;
    },
  };
}

function findGetter(strapi: Strapi): () => unknown {
  for (let proto: object | null = strapi; proto !== null; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'sessionManager');
    if (descriptor?.get !== undefined) return descriptor.get;
    if (descriptor !== undefined) return () => descriptor.value;
  }
  throw new Error('duo-security: Strapi 5 serves no sessionManager to guard');
}
