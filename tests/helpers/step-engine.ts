import type {
  DuoCallOptions,
  DuoAsyncAuth,
  DuoAuthRequest,
  DuoAuthResult,
  DuoPreauthResult,
} from '../../server/src/duo/types';
import type { AuditEvent, AuditRecord } from '../../server/src/engine/audit-service';
import type { EnrollmentRow } from '../../server/src/engine/enrollment-service';
import { createStepEngine, type StepEngine, type StepEngineDeps } from '../../server/src/engine/step';
import { hashStepId, newStepId } from '../../server/src/engine/step-id';
import type { StepRow } from '../../server/src/engine/step-store';
import type { AudienceAdapter, StepExchange } from '../../server/src/hosts/contract';
import type { Audience, AudienceSettings, EffectiveSettings } from '../../server/src/settings/types';
import { handRemembered } from '../../server/src/hosts/remembered';

/** Stand-ins for everything the step engine is handed: rows in a Map, Duo as a script, adapters that record. */

type StepStoreStub = StepEngineDeps['store'];

/** The step rows in memory, with the store's rule: every change is conditional on the state it starts from. */
function memoryStore(): StepStoreStub & { rows: Map<number, StepRow> } {
  const rows = new Map<number, StepRow>();
  let nextId = 1;
  const transition = async (row: StepRow, from: StepRow['state'], data: Partial<StepRow>): Promise<boolean> => {
    const current = rows.get(row.id);
    if (current === undefined || current.state !== from) return false;
    rows.set(row.id, { ...current, ...data });
    return true;
  };
  return {
    rows,
    async create(input) {
      const id = newStepId();
      const row: StepRow = {
        id: nextId++,
        idHash: hashStepId(id),
        stateHash: input.state === undefined ? null : hashStepId(input.state),
        audience: input.audience,
        userId: input.userId,
        purpose: input.purpose,
        state: 'pending',
        expiresAt: new Date(Date.now() + input.ttlSeconds * 1000).toISOString(),
        passcodeFailures: 0,
        promptsSent: 0,
        duoUsername: input.duoUsername,
        duoTxid: null,
        duoStatus: null,
        duoStatusMessage: null,
        challenge: input.challenge,
        flow: input.flow,
        ip: input.ip ?? null,
      };
      rows.set(row.id, row);
      return { id, row };
    },
    async find(id) {
      return [...rows.values()].find((row) => row.idHash === hashStepId(id)) ?? null;
    },
    async reload(row) {
      return rows.get(row.id) ?? null;
    },
    async findByState(state) {
      return [...rows.values()].find((row) => row.stateHash === hashStepId(state)) ?? null;
    },
    async claimState(row) {
      const current = rows.get(row.id);
      if (current?.state !== 'pending' || current.stateHash === null || current.stateHash !== row.stateHash)
        return false;
      rows.set(row.id, { ...current, stateHash: null });
      return true;
    },
    update: (row, data) => transition(row, 'pending', data),
    allow: (row, data = {}) => transition(row, 'pending', { ...data, state: 'allowed' }),
    consume: (row) => transition(row, 'allowed', { state: 'consumed' }),
    consumePending: (row, data = {}) => transition(row, 'pending', { ...data, state: 'consumed' }),
    deny: (row, message, duoStatus) =>
      transition(row, 'pending', {
        state: 'denied',
        ...(message === undefined ? {} : { duoStatusMessage: message }),
        ...(duoStatus === undefined ? {} : { duoStatus }),
      }),
    cancel: (row) => transition(row, 'pending', { state: 'cancelled' }),
    async takePasscodeAttempt(row, max) {
      const current = rows.get(row.id);
      if (current === undefined || current.state !== 'pending' || current.passcodeFailures >= max) return undefined;
      rows.set(row.id, { ...current, passcodeFailures: current.passcodeFailures + 1 });
      return current.passcodeFailures + 1;
    },
    async takePrompt(row, max) {
      const current = rows.get(row.id);
      const sent = current?.promptsSent ?? 0;
      if (current === undefined || current.state !== 'pending' || sent >= max) return undefined;
      rows.set(row.id, { ...current, promptsSent: sent + 1 });
      return sent + 1;
    },
    async settlePrompt(row, txid, data) {
      const current = rows.get(row.id);
      if (current === undefined || current.state !== 'pending' || current.duoTxid !== txid) return false;
      rows.set(row.id, { ...current, ...data });
      return true;
    },
  };
}

export interface AuditLine extends AuditRecord {
  readonly id: number;
  readonly event: AuditEvent;
}

function memoryAudit(): StepEngineDeps['audit'] & { lines: AuditLine[] } {
  const lines: AuditLine[] = [];
  let nextId = 1;
  const reserve = async (event: AuditEvent, record: AuditRecord) => {
    const id = nextId++;
    lines.push({ ...record, id, event });
    return id;
  };
  return {
    lines,
    async log(event, record) {
      await reserve(event, record);
    },
    async settle(id, event, record) {
      const index = lines.findIndex((line) => line.id === id);
      const line = lines[index];
      if (line !== undefined) lines[index] = { ...line, event, ...record };
    },
    async discard(id) {
      const index = lines.findIndex((line) => line.id === id);
      if (index >= 0) lines.splice(index, 1);
    },
    async reserveCounted(event, record) {
      // One process, no awaits between the write and the count: tries are counted one at a time already.
      const id = await reserve(event, record);
      const count = lines.filter(
        (line) => line.event === event && line.audience === record.audience && line.userId === record.userId,
      ).length;
      return { id, count };
    },
  };
}

function memoryEnrollments(): StepEngineDeps['enrollments'] {
  const rows = new Map<string, EnrollmentRow>();
  const upsert = async (audience: Audience, userId: number, data: Partial<EnrollmentRow>): Promise<EnrollmentRow> => {
    const key = `${audience}:${userId}`;
    const row: EnrollmentRow = {
      id: rows.get(key)?.id ?? rows.size + 1,
      audience,
      userId,
      status: 'pending',
      duoUsername: null,
      duoUserId: null,
      activationSealed: null,
      enabledAt: null,
      lastUsedAt: null,
      resetAt: null,
      recoveryUntil: null,
      ...rows.get(key),
      ...data,
    };
    rows.set(key, row);
    return row;
  };
  return {
    find: async (audience, userId) => rows.get(`${audience}:${userId}`) ?? null,
    enable: (audience, userId, duoUsername) => upsert(audience, userId, { status: 'active', duoUsername }),
    disable: (audience, userId) => upsert(audience, userId, { status: 'disabled' }),
    touchActive: async (audience, userId) => {
      const row = rows.get(`${audience}:${userId}`);
      if (row?.status !== 'active') return false;
      rows.set(`${audience}:${userId}`, { ...row, lastUsedAt: new Date().toISOString() });
      return true;
    },
    startActivation: (audience, userId, duoUsername, duoUserId, activationSealed) =>
      upsert(audience, userId, { duoUsername, duoUserId, activationSealed }),
    consumeRecovery: async () => false,
  };
}

const AUDIENCE: AudienceSettings = {
  enabled: true,
  enforcement: 'optional',
  failMode: 'closed',
  usernameSource: 'email',
  roles: [],
  rememberDevices: true,
};

export function settingsWith(failMode: AudienceSettings['failMode']): EffectiveSettings {
  return {
    activated: true,
    integrationKey: 'DIXXXXXXXXXXXXXXXXXX',
    secretKey: 'not-a-real-secret-key-for-unit-tests-0000',
    apiHostname: 'api-test.duosecurity.com',
    staff: { ...AUDIENCE, failMode },
    clients: { ...AUDIENCE, failMode },
    secretKeyUndecryptable: false,
    integration: 'auth-api',
    clientId: '',
    clientSecret: '',
    clientReturnUrls: [],
    clientSecretUndecryptable: false,
  };
}

/** What the scripted Duo answers to a passcode: a verdict, or a thrown error. */
export type PasscodeScript = (passcode: string) => DuoAuthResult;

export interface RecordedCompletion {
  readonly kind: 'login' | 'enable';
  readonly audience: Audience;
  readonly userId: number;
  readonly flow?: unknown;
  readonly via: string;
  readonly exchange: StepExchange;
}

export interface EngineFixture {
  readonly engine: StepEngine;
  readonly store: ReturnType<typeof memoryStore>;
  readonly audit: ReturnType<typeof memoryAudit>;
  readonly completions: RecordedCompletion[];
  /** Calls that reached Duo, by kind: a limit is only real if refused guesses never get there. */
  readonly duoCalls: string[];
}

export const DEVICE_PREAUTH: DuoPreauthResult = {
  result: 'auth',
  statusMsg: 'Account is active',
  devices: [{ device: 'DP1', type: 'phone', displayName: 'iOS', name: 'iPhone', number: '', capabilities: ['push'] }],
};

export function stepEngineFixture(options: {
  failMode?: AudienceSettings['failMode'];
  maxPasscodeAttempts?: number;
  preauth?: DuoPreauthResult;
  passcode: PasscodeScript;
}): EngineFixture {
  const store = memoryStore();
  const audit = memoryAudit();
  const completions: RecordedCompletion[] = [];
  const duoCalls: string[] = [];
  const settings = settingsWith(options.failMode ?? 'closed');

  function auth(request: DuoAuthRequest, options?: DuoCallOptions & { readonly async?: false }): Promise<DuoAuthResult>;
  function auth(request: DuoAuthRequest, options: DuoCallOptions & { readonly async: true }): Promise<DuoAsyncAuth>;
  async function auth(request: DuoAuthRequest): Promise<DuoAuthResult | DuoAsyncAuth> {
    duoCalls.push(`auth:${request.factor}`);
    if (request.factor !== 'passcode' || request.passcode === undefined) throw new Error('not scripted');
    return script(request.passcode);
  }
  const script = options.passcode;
  const unscripted = async (): Promise<never> => {
    throw new Error('not scripted');
  };

  const adapter = (audience: Audience): AudienceAdapter => ({
    audience,
    async completeLogin({ userId, flow, via, exchange }) {
      completions.push({ kind: 'login', audience, userId, flow, via, exchange });
      return { issued: `${audience}-credential`, via };
    },
    async completeEnable({ userId, via, exchange }) {
      completions.push({ kind: 'enable', audience, userId, via, exchange });
      return { data: { enabled: true } };
    },
  });

  const engine = createStepEngine({
    store,
    audit,
    // The rows are in memory: nothing to commit.
    atomically: (work) => work(),
    enrollments: memoryEnrollments(),
    backupCodes: {
      issueSet: async () => [],
      redeem: async () => undefined,
      remaining: async () => 0,
      forget: async () => undefined,
    },
    grace: { offer: async () => undefined, postpone: async () => undefined },
    settings: { get: async () => settings },
    secrets: { seal: (plaintext) => `sealed:${plaintext}`, open: (sealed) => sealed.replace(/^sealed:/, '') },
    duo: () => ({
      async preauth() {
        duoCalls.push('preauth');
        return options.preauth ?? DEVICE_PREAUTH;
      },
      auth,
      authStatus: unscripted,
      enroll: unscripted,
      enrollStatus: unscripted,
    }),
    universal: () => ({
      healthCheck: unscripted,
      createAuthorization: () => {
        throw new Error('not scripted');
      },
      exchangeCode: unscripted,
    }),
    policy: { duoUsername: async (_settings, _audience, user) => (user.email ?? '').trim() },
    adapters: { staff: adapter('staff'), clients: adapter('clients') },
    handRemembered,
    config: () => ({
      stepTtlSeconds: 300,
      maxPasscodeAttempts: options.maxPasscodeAttempts ?? 5,
      maxPromptsPerStep: 3,
      statusWaitMs: 25_000,
    }),
  });
  return { engine, store, audit, completions, duoCalls };
}

/** A finishing request that remembers the cookies an adapter set on it. */
export function recordingExchange(): StepExchange & { cookies: string[] } {
  const cookies: string[] = [];
  return { ip: '203.0.113.7', userAgent: 'unit-test', cookies, setCookie: (name) => void cookies.push(name) };
}
