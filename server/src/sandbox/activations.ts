import { newActivationSecret, randomHex } from './ids';

/** Duo's portal links are said to last five minutes (a third-party claim; nothing better is published). */
export const PORTAL_LIFETIME_MS = 5 * 60_000;

export interface Activation {
  readonly kind: 'enroll' | 'portal';
  /** `/activate/<secret>` for enroll, `/portal?<secret>` for the portal. */
  readonly secret: string;
  /** What the client sees: `duo://…` for enroll; the portal token for the portal. */
  readonly code: string;
  readonly username: string;
  /** Enroll creates the user up front; the portal creates it on completion. */
  readonly userId: string | null;
  readonly expiresMs: number;
  completed: boolean;
}

/** `duo://<secret>-<base64url(api host)>`, the shape of Duo's captured activation codes. */
function activationCode(secret: string, apiHostname: string): string {
  return `duo://${secret}-${Buffer.from(apiHostname, 'utf8').toString('base64url')}`;
}

export class ActivationStore {
  readonly #activations: Activation[] = [];

  createEnroll(userId: string, username: string, expiresMs: number, apiHostname: string): Activation {
    const secret = newActivationSecret();
    const activation: Activation = {
      kind: 'enroll',
      secret,
      code: activationCode(secret, apiHostname),
      username,
      userId,
      expiresMs,
      completed: false,
    };
    this.#activations.push(activation);
    return activation;
  }

  /** One live portal link per username: a client that preauths twice gets the same link. */
  portalFor(username: string, nowMs: number): Activation {
    const live = this.#activations.find(
      (a) => a.kind === 'portal' && a.username === username && !a.completed && a.expiresMs >= nowMs,
    );
    if (live) return live;
    const secret = randomHex(8);
    const activation: Activation = {
      kind: 'portal',
      secret,
      code: secret,
      username,
      userId: null,
      expiresMs: nowMs + PORTAL_LIFETIME_MS,
      completed: false,
    };
    this.#activations.push(activation);
    return activation;
  }

  byCode(code: string): Activation | undefined {
    return this.#activations.find((a) => a.code === code);
  }

  /**
   * The live activation a test or the phone page means: by `duo://` code, by its secret (the `/activate/`
   * path or portal token), by user id or by username.
   */
  findLive(key: string, nowMs: number): Activation | undefined {
    const live = this.#activations.filter((a) => !a.completed && a.expiresMs >= nowMs);
    return (
      live.find((a) => a.code === key || a.secret === key) ??
      live.find((a) => a.userId === key) ??
      live.find((a) => a.username === key)
    );
  }

  pending(nowMs: number): Activation[] {
    return this.#activations.filter((a) => !a.completed && a.expiresMs >= nowMs);
  }

  removeUser(userId: string, username: string): void {
    for (let i = this.#activations.length - 1; i >= 0; i -= 1) {
      const a = this.#activations[i];
      if (a && (a.userId === userId || (a.kind === 'portal' && a.username === username))) {
        this.#activations.splice(i, 1);
      }
    }
  }
}
