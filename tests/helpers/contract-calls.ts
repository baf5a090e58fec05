import type { Client, ClientsHarness } from './clients-harness';
import type { Contract } from './openapi';
import { socialSignIn, type OfflineProvider } from './social-sign-in';
import type { ApiRequest, ApiResponse } from './strapi';

/** The client API's calls, each answer checked against docs/openapi/client-api.json (see `Contract`). */
export interface ContractCalls {
  /** `method path` (a path of the document), sent to `real` (`/api<path>` by default); the answer and its kind. */
  call(method: 'get' | 'post', path: string, request?: ApiRequest, real?: string): Promise<Checked>;
  kindOf(method: 'get' | 'post', path: string, request?: ApiRequest, real?: string): Promise<string>;
  local(client: Pick<Client, 'email' | 'password'>, headers?: Record<string, string>): Promise<Checked>;
  /** /step/passcode with the Duo Mobile passcode of `duoUsername` now. */
  passcode(stepId: string, duoUsername: string): Promise<Checked>;
  social(accessToken: string, headers?: Record<string, string>): Promise<Checked>;
  gql(query: string, variables: Record<string, unknown>): Promise<Checked>;
  /** Sets the user's reset code and resets the password with it. */
  reset(client: Pick<Client, 'id'>, code: string, password?: string): Promise<string>;
  setUser(id: number, data: Record<string, unknown>): Promise<unknown>;
  nextUserId(): Promise<number>;
  /** Runs `action` while the sandbox answers every Duo call with HTTP 503 (Duo down; fail mode closed). */
  whileDuoDown<T>(action: () => Promise<T>): Promise<T>;
  /** Runs `action` while Duo refuses `duoUsername` (a disabled Duo user: preauth says deny). */
  whileRefused<T>(duoUsername: string, action: () => Promise<T>): Promise<T>;
}

export interface Checked {
  readonly response: ApiResponse;
  /** The documented answer it matched: the schema's name (see `Contract.check`). */
  readonly kind: string;
}

export function contractCalls(h: ClientsHarness, contract: Contract, provider?: OfflineProvider): ContractCalls {
  const users = () => h.strapi.db!.query('plugin::users-permissions.user');
  const calls: ContractCalls = {
    async call(method, path, request = {}, real = `/api${path}`) {
      const response = await h.app.api(real, { method: method.toUpperCase(), ...request });
      return { response, kind: contract.check(method, path, response) };
    },
    async kindOf(method, path, request, real) {
      return (await calls.call(method, path, request, real)).kind;
    },
    local: (client, headers) =>
      calls.call('post', '/auth/local', {
        body: { identifier: client.email, password: client.password },
        ...(headers ? { headers } : {}),
      }),
    passcode: (stepId, duoUsername) =>
      calls.call('post', '/duo-security/step/passcode', {
        body: { step: stepId, passcode: h.sandbox.currentPasscode(duoUsername) },
      }),
    async social(accessToken, headers) {
      if (provider === undefined) throw new Error('no offline provider was started');
      const response = await socialSignIn(h.app, provider, accessToken, headers);
      return { response, kind: contract.check('get', '/auth/{provider}/callback', response) };
    },
    gql: (query, variables) => calls.call('post', '/graphql', { body: { query, variables } }, '/graphql'),
    async reset(client, code, password = 'New-Passw0rd-1') {
      await calls.setUser(client.id, { resetPasswordToken: code });
      return calls.kindOf('post', '/auth/reset-password', { body: { code, password, passwordConfirmation: password } });
    },
    setUser: (id, data) => users().update({ where: { id }, data }),
    async nextUserId() {
      const [last] = (await users().findMany({ orderBy: { id: 'desc' }, limit: 1 })) as Array<{ id: number }>;
      return Number(last?.id ?? 0) + 1;
    },
    async whileDuoDown(action) {
      h.sandbox.setFault({ kind: 'status', status: 503 });
      try {
        return await action();
      } finally {
        h.sandbox.clearFaults();
      }
    },
    async whileRefused(duoUsername, action) {
      h.sandbox.updateUser(duoUsername, { status: 'disabled' });
      try {
        return await action();
      } finally {
        h.sandbox.updateUser(duoUsername, { status: 'active' });
      }
    },
  };
  return calls;
}
