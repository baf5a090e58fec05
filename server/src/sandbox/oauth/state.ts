import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

import type { SandboxClock } from '../clock';
import { SandboxControlError } from '../errors';
import type { SandboxState } from '../state';
import type {
  NewUserPolicy,
  OAuthSwitches,
  PendingPrompt,
  PromptDecision,
  PromptOutcome,
  PromptResult,
} from '../types';
import { JtiStore } from './assertion';
import { OAuthClients } from './clients';
import { CodeStore } from './codes';
import type { AuthorizeRequest } from './request-object';

/** A prompt page lives as long as the request JWT usually does. */
const PROMPT_LIFE_SEC = 300;

interface Prompt {
  readonly id: string;
  readonly csrf: string;
  readonly request: AuthorizeRequest;
  readonly created: number;
  readonly expires: number;
}

/** What happens at once on `GET /authorize`: a decision, or the page. */
export type Arrival =
  | { readonly kind: 'decided'; readonly result: PromptResult }
  | { readonly kind: 'page'; readonly prompt: Prompt; readonly enrol: boolean };

function appendQuery(uri: string, params: Record<string, string>): string {
  // Appended by hand so the client's own query keeps its exact bytes.
  return `${uri}${uri.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;
}

/** Everything the Universal Prompt endpoints remember: clients, used jtis, prompts, codes, presets, switches. */
export class OAuthState {
  readonly jtis = new JtiStore();
  readonly codes: CodeStore;
  readonly #prompts = new Map<string, Prompt>();
  readonly #presets = new Map<string, PromptOutcome>();
  #switches: Required<OAuthSwitches> = { healthCheckErrors: 'duo', denyRedirect: false };

  constructor(
    readonly clients: OAuthClients,
    private readonly users: SandboxState,
    private readonly clock: SandboxClock,
    private readonly newUserPolicy: NewUserPolicy,
    codeTtlSec: number,
  ) {
    this.codes = new CodeStore(clock, codeTtlSec);
  }

  get switches(): Required<OAuthSwitches> {
    return { ...this.#switches };
  }

  setSwitches(switches: OAuthSwitches): Required<OAuthSwitches> {
    this.#switches = { ...this.#switches, ...switches };
    return this.switches;
  }

  preset(username: string, outcome: PromptOutcome): void {
    this.#presets.set(username, outcome);
  }

  /** A verified request arrives in the browser: presets and user status may decide before any page. */
  arrive(request: AuthorizeRequest): Arrival {
    const preset = this.#presets.get(request.username);
    if (preset !== undefined) {
      this.#presets.delete(request.username);
      if (preset === 'error')
        return {
          kind: 'decided',
          result: this.#redirectError(request, 'server_error', 'The sandbox was told to fail this prompt.'),
        };
      return { kind: 'decided', result: this.decide(request, preset) };
    }
    const user = this.users.userByName(request.username);
    const status = user?.status ?? 'unknown';
    if (status === 'bypass' || (status === 'unknown' && this.newUserPolicy === 'allow')) {
      return { kind: 'decided', result: this.decide(request, 'approve') };
    }
    if (status === 'disabled' || status === 'locked_out' || (status === 'unknown' && this.newUserPolicy === 'deny')) {
      return { kind: 'decided', result: this.decide(request, 'deny') };
    }
    const now = this.clock.nowSec();
    const prompt: Prompt = {
      id: randomUUID(),
      csrf: randomBytes(24).toString('base64url'),
      request,
      created: now,
      expires: now + PROMPT_LIFE_SEC,
    };
    this.#sweep();
    this.#prompts.set(prompt.id, prompt);
    return { kind: 'page', prompt, enrol: status === 'unknown' };
  }

  pending(): PendingPrompt[] {
    this.#sweep();
    return [...this.#prompts.values()].map(({ id, request, created, expires }) => ({
      id,
      clientId: request.clientId,
      username: request.username,
      redirectUri: request.redirectUri,
      state: request.state,
      ...(request.appName === undefined ? {} : { appName: request.appName }),
      userStatus: this.users.userByName(request.username)?.status ?? 'unknown',
      created,
      expires,
    }));
  }

  /** The page's form: the CSRF token must match the one printed in that page. */
  decideFromPage(id: string, csrf: string, decision: PromptDecision): PromptResult | undefined {
    const prompt = this.#prompts.get(id);
    if (!prompt) return undefined;
    const want = Buffer.from(prompt.csrf);
    const got = Buffer.from(csrf);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    return this.decidePrompt(id, decision);
  }

  decidePrompt(id: string, decision: PromptDecision): PromptResult {
    this.#sweep();
    const prompt = this.#prompts.get(id);
    if (!prompt) throw new SandboxControlError(404, `No waiting prompt ${id}`);
    this.#prompts.delete(id);
    return this.decide(prompt.request, decision);
  }

  decide(request: AuthorizeRequest, decision: PromptDecision): PromptResult {
    let user = this.users.userByName(request.username);
    if (decision === 'enroll' && !user) user = this.users.addUser({ username: request.username });
    const allowed =
      decision !== 'deny' &&
      (user === undefined ? this.newUserPolicy === 'allow' : user.status === 'active' || user.status === 'bypass');
    if (!allowed) {
      if (!this.#switches.denyRedirect) return { kind: 'denied' };
      return this.#redirectError(request, 'access_denied', 'The user did not approve the login.');
    }
    const now = this.clock.nowSec();
    const code = this.codes.issue({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      username: request.username,
      userKey: user?.id ?? 'DU' + '0'.repeat(18),
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
      ...(request.appName === undefined ? {} : { appName: request.appName }),
      factor: user?.status === 'bypass' || !user ? 'bypass' : 'duo_push',
      result: 'allow',
      statusMsg: 'Success. Logging you in...',
      txid: randomUUID(),
      authTime: now,
    });
    const location = appendQuery(request.redirectUri, {
      [request.useDuoCode ? 'duo_code' : 'code']: code,
      state: request.state,
    });
    return { kind: 'redirect', location };
  }

  #redirectError(request: AuthorizeRequest, error: string, description: string): PromptResult {
    return {
      kind: 'redirect',
      location: appendQuery(request.redirectUri, { error, error_description: description, state: request.state }),
    };
  }

  #sweep(): void {
    const now = this.clock.nowSec();
    for (const [id, prompt] of this.#prompts) if (prompt.expires <= now) this.#prompts.delete(id);
  }
}
