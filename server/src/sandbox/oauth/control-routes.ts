import { asObject, onlyKeys } from '../control-input';
import type { SandboxController } from '../controller';
import { SandboxControlError } from '../errors';
import type { OAuthClientSpec, OAuthClientType, OAuthSwitches, PromptDecision, PromptOutcome } from '../types';

/** Control routes of the Universal Prompt, under `/sandbox/oauth/`; strict bodies as for the Auth API's. */

export interface OAuthControlRequest {
  readonly args: readonly string[];
  readonly body: unknown;
}

export interface OAuthControlRoute {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly pattern: string;
  readonly handle: (control: SandboxController, request: OAuthControlRequest) => { status?: number; body: unknown };
}

function bad(message: string): never {
  throw new SandboxControlError(400, message);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) bad(`${what} must be one of ${allowed.join(', ')}`);
  return found;
}

const TYPES: readonly OAuthClientType[] = ['websdk', 'auth'];

function clientSpec(raw: unknown): OAuthClientSpec {
  const value = asObject(raw ?? {}, 'A client');
  onlyKeys(value, ['clientId', 'clientSecret', 'type'], 'client');
  const { clientId, clientSecret, type } = value;
  if (clientId !== undefined && typeof clientId !== 'string') bad('clientId must be a string');
  if (clientSecret !== undefined && typeof clientSecret !== 'string') bad('clientSecret must be a string');
  return {
    ...(clientId === undefined ? {} : { clientId }),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(type === undefined ? {} : { type: oneOf(type, TYPES, 'type') }),
  };
}

function field(raw: unknown, key: string, what: string): unknown {
  const value = asObject(raw, what);
  onlyKeys(value, [key], what.toLowerCase());
  return value[key];
}

function switches(raw: unknown): OAuthSwitches {
  const value = asObject(raw ?? {}, 'Switches');
  onlyKeys(value, ['healthCheckErrors', 'denyRedirect'], 'switch');
  const { healthCheckErrors, denyRedirect } = value;
  if (denyRedirect !== undefined && typeof denyRedirect !== 'boolean') bad('denyRedirect must be true or false');
  return {
    ...(healthCheckErrors === undefined
      ? {}
      : { healthCheckErrors: oneOf(healthCheckErrors, ['duo', 'oauth'] as const, 'healthCheckErrors') }),
    ...(denyRedirect === undefined ? {} : { denyRedirect }),
  };
}

const arg = (request: OAuthControlRequest, index: number): string => request.args[index] ?? '';

export const OAUTH_CONTROL_ROUTES: readonly OAuthControlRoute[] = [
  { method: 'GET', pattern: 'oauth/clients', handle: (c) => ({ body: { clients: c.oauthClients() } }) },
  {
    method: 'POST',
    pattern: 'oauth/clients',
    handle: (c, r) => ({ status: 201, body: c.addOAuthClient(clientSpec(r.body)) }),
  },
  {
    method: 'PATCH',
    pattern: 'oauth/clients/:clientId',
    handle: (c, r) => ({
      body: c.setOAuthClientType(arg(r, 0), oneOf(field(r.body, 'type', 'A client update'), TYPES, 'type')),
    }),
  },
  {
    method: 'POST',
    pattern: 'oauth/users/:username/next-prompt',
    handle: (c, r) => {
      const outcome = oneOf<PromptOutcome>(
        field(r.body, 'outcome', 'A preset'),
        ['approve', 'deny', 'error'],
        'outcome',
      );
      c.presetPrompt(arg(r, 0), outcome);
      return { body: { username: arg(r, 0), outcome } };
    },
  },
  { method: 'GET', pattern: 'oauth/prompts', handle: (c) => ({ body: { prompts: c.pendingPrompts() } }) },
  {
    method: 'POST',
    pattern: 'oauth/prompts/:id/:decision',
    handle: (c, r) => ({
      body: c.decidePrompt(arg(r, 0), oneOf<PromptDecision>(arg(r, 1), ['approve', 'deny', 'enroll'], 'decision')),
    }),
  },
  { method: 'GET', pattern: 'oauth/switches', handle: (c) => ({ body: c.setOAuthSwitches({}) }) },
  { method: 'POST', pattern: 'oauth/switches', handle: (c, r) => ({ body: c.setOAuthSwitches(switches(r.body)) }) },
];
