import { SandboxControlError } from '../errors';
import { newIntegrationKey, newSecretKey } from '../ids';
import type { OAuthClientSpec, OAuthClientType, SandboxIntegration, SandboxOAuthClient } from '../types';
import { invalidClient, unauthorizedRequest } from './errors';

const ID_LENGTH = 20;
const SECRET_LENGTH = 40;

/** Universal Prompt applications, and the Auth API keys that Duo refuses on these endpoints. */
export class OAuthClients {
  readonly #clients = new Map<string, SandboxOAuthClient>();

  constructor(private readonly authIntegrations: ReadonlyMap<string, SandboxIntegration>) {}

  add(spec: OAuthClientSpec = {}): SandboxOAuthClient {
    const client: SandboxOAuthClient = {
      clientId: spec.clientId ?? newIntegrationKey(),
      clientSecret: spec.clientSecret ?? newSecretKey(),
      type: spec.type ?? 'websdk',
    };
    // Every official SDK refuses other lengths, so a sandbox client of another shape could never be used.
    if (client.clientId.length !== ID_LENGTH || client.clientSecret.length !== SECRET_LENGTH) {
      throw new SandboxControlError(400, 'A client id has 20 characters and a client secret 40');
    }
    if (this.#clients.has(client.clientId)) {
      throw new SandboxControlError(409, `Client ${client.clientId} already exists`);
    }
    this.#clients.set(client.clientId, client);
    return client;
  }

  setType(clientId: string, type: OAuthClientType): SandboxOAuthClient {
    const client = this.#clients.get(clientId);
    if (!client) throw new SandboxControlError(404, `No client ${clientId}`);
    const updated = { ...client, type };
    this.#clients.set(clientId, updated);
    return updated;
  }

  list(): SandboxOAuthClient[] {
    return [...this.#clients.values()];
  }

  /** The Web SDK client for `client_id`; Auth API keys get `unauthorized_request` as on Duo. */
  require(clientId: string | null | undefined): SandboxOAuthClient {
    if (!clientId) throw invalidClient('Missing client_id.');
    const client = this.#clients.get(clientId);
    if (client?.type === 'auth' || (!client && this.authIntegrations.has(clientId))) throw unauthorizedRequest();
    if (!client) throw invalidClient('Invalid client_id.');
    return client;
  }

  find(clientId: string | null): SandboxOAuthClient | undefined {
    return clientId === null ? undefined : this.#clients.get(clientId);
  }
}
