import type { SandboxClock } from './clock';
import { SandboxControlError } from './errors';
import type { FaultStore } from './faults';
import type { OAuthState } from './oauth/state';
import type { SandboxState } from './state';
import type { StatsCounter } from './stats';
import type {
  ApproveOptions,
  DenyOptions,
  DuoSandboxControl,
  Fault,
  OAuthClientSpec,
  OAuthClientType,
  OAuthSwitches,
  PendingPrompt,
  PendingPush,
  PromptDecision,
  PromptOutcome,
  PromptResult,
  SandboxOAuthClient,
  SandboxSnapshot,
  SandboxStats,
  SandboxUser,
  UserPatch,
  UserSpec,
} from './types';
import { sandboxUser } from './users';

/** The control surface, shared by the in-code API and the HTTP control routes so both behave the same. */
export class SandboxController implements DuoSandboxControl {
  constructor(
    private readonly sandboxState: SandboxState,
    private readonly faultStore: FaultStore,
    private readonly clock: SandboxClock,
    private readonly counters: StatsCounter,
    private readonly oauth: OAuthState,
  ) {}

  addUser(spec: UserSpec): SandboxUser {
    return sandboxUser(this.sandboxState.addUser(spec));
  }

  updateUser(username: string, patch: UserPatch): SandboxUser {
    return sandboxUser(this.sandboxState.updateUser(username, patch));
  }

  removeUser(username: string): void {
    this.sandboxState.removeUser(username);
  }

  user(username: string): SandboxUser | undefined {
    const user = this.sandboxState.userByName(username);
    return user && sandboxUser(user);
  }

  pendingPushes(): PendingPush[] {
    return this.sandboxState.pendingPushes();
  }

  approve(txid: string, options?: ApproveOptions): void {
    this.sandboxState.approve(txid, options);
  }

  deny(txid: string, options?: DenyOptions): void {
    this.sandboxState.deny(txid, options);
  }

  currentPasscode(username: string, deviceId?: string): string {
    return this.sandboxState.currentPasscode(username, deviceId);
  }

  smsPasscodes(username: string): string[] {
    return this.sandboxState.smsPasscodes(username);
  }

  completeActivation(codeOrUserId: string): SandboxUser {
    return sandboxUser(this.sandboxState.completeActivation(codeOrUserId));
  }

  setFault(fault: Fault): void {
    try {
      this.faultStore.add(fault);
    } catch (error) {
      throw new SandboxControlError(400, error instanceof Error ? error.message : String(error));
    }
  }

  faults(): Fault[] {
    return this.faultStore.list();
  }

  clearFaults(): void {
    this.faultStore.clear();
  }

  setSkew(ms: number): void {
    try {
      this.clock.setSkew(ms);
    } catch (error) {
      throw new SandboxControlError(400, error instanceof Error ? error.message : String(error));
    }
  }

  skew(): number {
    return this.clock.skewMs;
  }

  stats(): SandboxStats {
    return this.counters.snapshot();
  }

  resetStats(): void {
    this.counters.reset();
  }

  state(): SandboxSnapshot {
    return this.sandboxState.snapshot();
  }

  addOAuthClient(spec?: OAuthClientSpec): SandboxOAuthClient {
    return this.oauth.clients.add(spec);
  }

  setOAuthClientType(clientId: string, type: OAuthClientType): SandboxOAuthClient {
    return this.oauth.clients.setType(clientId, type);
  }

  oauthClients(): SandboxOAuthClient[] {
    return this.oauth.clients.list();
  }

  presetPrompt(username: string, outcome: PromptOutcome): void {
    this.oauth.preset(username, outcome);
  }

  pendingPrompts(): PendingPrompt[] {
    return this.oauth.pending();
  }

  decidePrompt(id: string, decision: PromptDecision): PromptResult {
    return this.oauth.decidePrompt(id, decision);
  }

  setOAuthSwitches(switches: OAuthSwitches): OAuthSwitches {
    return this.oauth.setSwitches(switches);
  }

  setRememberedDevices(periodSec: number | null): void {
    this.sandboxState.trustedDevices.setPolicy(periodSec);
  }

  rememberedDevices(): { periodSec: number | null } {
    return { periodSec: this.sandboxState.trustedDevices.periodSec };
  }

  trustedDevices(username: string): number {
    return this.sandboxState.trustedDevices.count(this.sandboxState.requireUser(username).id);
  }
}
