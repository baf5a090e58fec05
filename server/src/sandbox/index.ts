import { SandboxClock } from './clock';
import { SandboxController } from './controller';
import { FaultStore } from './faults';
import { newIntegrationKey, newSecretKey } from './ids';
import { OAuthClients } from './oauth/clients';
import { OAuthState } from './oauth/state';
import { startServer } from './server';
import { SandboxState } from './state';
import { StatsCounter } from './stats';
import { TimerSet } from './timers';
import type { DuoSandbox, SandboxIntegration, SandboxLogger, SandboxOptions } from './types';

export type * from './types';
export { DuoApiError, SandboxControlError } from './errors';
export { TOKEN_TAMPERS } from './faults';

const SILENT: SandboxLogger = { info: () => undefined, warn: () => undefined };

export const PRODUCTION_REFUSAL =
  'Refusing to start the Duo sandbox with NODE_ENV=production: it is a fake Duo that approves logins on request. ' +
  'Pass force: true (or --force) only if you really mean to run it there.';

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number >= 0`);
  return value;
}

function integrationsOf(options: SandboxOptions): SandboxIntegration[] {
  const list = options.integrations?.length
    ? [...options.integrations]
    : [{ ikey: options.ikey ?? newIntegrationKey(), skey: options.skey ?? newSecretKey(), type: 'auth' as const }];
  const seen = new Set<string>();
  for (const integration of list) {
    if (!integration.ikey || !integration.skey) throw new TypeError('Each integration needs an ikey and an skey');
    if (seen.has(integration.ikey)) throw new TypeError(`Integration key ${integration.ikey} is listed twice`);
    seen.add(integration.ikey);
  }
  return list;
}

/** The host to put in URLs: a wildcard address is reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts a local fake of Duo's Auth API v2 and Universal Prompt (`/oauth/v1/*`). Resolves once it listens; `close()` stops it.
 * Refuses to run with `NODE_ENV=production` unless `force` is set.
 */
export async function startDuoSandbox(options: SandboxOptions = {}): Promise<DuoSandbox> {
  if (process.env['NODE_ENV'] === 'production' && !options.force) throw new Error(PRODUCTION_REFUSAL);

  const host = options.host ?? '127.0.0.1';
  const integrations = integrationsOf(options);
  const primary = integrations.find((i) => i.type === 'auth') ?? integrations[0];
  if (!primary) throw new TypeError('The sandbox needs at least one integration');
  const apiHostname = (options.apiHostname ?? urlHost(host).replace(/^\[|\]$/g, '')).toLowerCase();

  const clock = new SandboxClock(options.now ?? Date.now);
  const timers = new TimerSet();
  const logger = options.logger ?? SILENT;
  let url = '';
  const state = new SandboxState({
    clock,
    timers,
    pushTimeoutMs: positive('pushTimeoutMs', options.pushTimeoutMs, 60_000),
    phoneRingMs: positive('phoneRingMs', options.phoneRingMs, 1_000),
    links: () => ({ url, apiHostname }),
  });
  const faults = new FaultStore();
  const stats = new StatsCounter();
  const integrationMap = new Map(integrations.map((i) => [i.ikey, i]));
  const newUserPolicy = options.newUserPolicy ?? 'enroll';
  const clients = new OAuthClients(integrationMap);
  for (const spec of options.oauthClients ?? [{}]) clients.add(spec);
  const firstClient = clients.list()[0];
  if (!firstClient) throw new TypeError('The sandbox needs at least one Universal Prompt client');
  const oauth = new OAuthState(clients, state, clock, newUserPolicy, positive('codeTtlSec', options.codeTtlSec, 60));
  const control = new SandboxController(state, faults, clock, stats, oauth);

  const running = await startServer(
    {
      authApi: {
        state,
        clock,
        timers,
        faults,
        integrations: integrationMap,
        apiHostname: options.apiHostname?.toLowerCase(),
        dateToleranceSec: positive('dateToleranceSec', options.dateToleranceSec, 300),
        newUserPolicy,
        longPollMs: positive('longPollMs', options.longPollMs, 25_000),
        logger,
      },
      oauth: { oauth, clock, timers, faults, logger },
      control,
      stats,
      ...(options.tls ? { tls: options.tls } : {}),
    },
    host,
    options.port ?? 0,
  );
  url = `${options.tls ? 'https' : 'http'}://${urlHost(host)}:${running.port}`;
  for (const user of options.users ?? []) control.addUser(user);
  logger.info(`Duo sandbox listening on ${url}`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      timers.closeAll();
      // Held requests (long-polls, sync pushes) answer with their current status before the sockets go.
      state.transactions.wakeAll();
      await new Promise<void>((resolve) => setImmediate(resolve));
      await running.close();
      logger.info('Duo sandbox closed');
    })();
    return closing;
  };

  // Bound methods, so `const { approve } = sandbox` works as well as `sandbox.approve`.
  return {
    url,
    port: running.port,
    ikey: primary.ikey,
    skey: primary.skey,
    apiHostname,
    integrations,
    clientId: firstClient.clientId,
    clientSecret: firstClient.clientSecret,
    addUser: (spec) => control.addUser(spec),
    updateUser: (username, patch) => control.updateUser(username, patch),
    removeUser: (username) => control.removeUser(username),
    user: (username) => control.user(username),
    pendingPushes: () => control.pendingPushes(),
    approve: (txid, approveOptions) => control.approve(txid, approveOptions),
    deny: (txid, denyOptions) => control.deny(txid, denyOptions),
    currentPasscode: (username, deviceId) => control.currentPasscode(username, deviceId),
    smsPasscodes: (username) => control.smsPasscodes(username),
    completeActivation: (key) => control.completeActivation(key),
    setFault: (fault) => control.setFault(fault),
    faults: () => control.faults(),
    clearFaults: () => control.clearFaults(),
    setSkew: (ms) => control.setSkew(ms),
    skew: () => control.skew(),
    stats: () => control.stats(),
    resetStats: () => control.resetStats(),
    state: () => control.state(),
    addOAuthClient: (spec) => control.addOAuthClient(spec),
    setOAuthClientType: (clientId, type) => control.setOAuthClientType(clientId, type),
    oauthClients: () => control.oauthClients(),
    presetPrompt: (username, outcome) => control.presetPrompt(username, outcome),
    pendingPrompts: () => control.pendingPrompts(),
    decidePrompt: (id, decision) => control.decidePrompt(id, decision),
    setOAuthSwitches: (switches) => control.setOAuthSwitches(switches),
    setRememberedDevices: (periodSec) => control.setRememberedDevices(periodSec),
    rememberedDevices: () => control.rememberedDevices(),
    trustedDevices: (username) => control.trustedDevices(username),
    close,
  };
}
