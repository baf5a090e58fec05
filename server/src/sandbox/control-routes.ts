import type { IncomingMessage, ServerResponse } from 'node:http';

import { parseApprove, parseDeny, parseSkew, parseUserPatch, parseUserSpec } from './control-input';
import type { SandboxController } from './controller';
import { SandboxControlError } from './errors';
import { parseFault } from './faults';
import { BodyTooLargeError, readBody, sendJson } from './http';
import { OAUTH_CONTROL_ROUTES } from './oauth/control-routes';
import type { Fault } from './types';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface ControlRequest {
  /** Decoded path parameters, in order. */
  readonly args: readonly string[];
  readonly body: unknown;
  readonly query: URLSearchParams;
}

interface ControlRoute {
  readonly method: Method;
  /** Path under `/sandbox/`, `:x` marking one decoded segment. */
  readonly pattern: string;
  readonly handle: (control: SandboxController, request: ControlRequest) => { status?: number; body: unknown };
}

function faultFrom(body: unknown): Fault {
  try {
    return parseFault(body);
  } catch (error) {
    throw new SandboxControlError(400, error instanceof Error ? error.message : String(error));
  }
}

/** `{ "periodSec": 2592000 }` turns the policy on for that long; `{ "periodSec": null }` turns it off. */
function parseRememberedDevices(body: unknown): number | null {
  const value = body !== null && typeof body === 'object' ? (body as { periodSec?: unknown }).periodSec : undefined;
  if (value === null) return null;
  if (typeof value !== 'number') throw new SandboxControlError(400, 'Give "periodSec": a number of seconds, or null');
  return value;
}

function arg(request: ControlRequest, index: number): string {
  return request.args[index] ?? '';
}

/**
 * The HTTP control API: unsigned JSON under `/sandbox/`, for tests in another process and for the phone page.
 * Every route calls the same controller as the in-code API.
 */
const ROUTES: readonly ControlRoute[] = [
  { method: 'GET', pattern: 'state', handle: (c) => ({ body: c.state() }) },
  { method: 'GET', pattern: 'users', handle: (c) => ({ body: { users: c.state().users } }) },
  { method: 'POST', pattern: 'users', handle: (c, r) => ({ status: 201, body: c.addUser(parseUserSpec(r.body)) }) },
  {
    method: 'GET',
    pattern: 'users/:username',
    handle: (c, r) => {
      const user = c.user(arg(r, 0));
      if (!user) throw new SandboxControlError(404, `No user ${arg(r, 0)}`);
      return { body: user };
    },
  },
  {
    method: 'PATCH',
    pattern: 'users/:username',
    handle: (c, r) => ({ body: c.updateUser(arg(r, 0), parseUserPatch(r.body)) }),
  },
  {
    method: 'DELETE',
    pattern: 'users/:username',
    handle: (c, r) => {
      c.removeUser(arg(r, 0));
      return { body: { removed: arg(r, 0) } };
    },
  },
  {
    method: 'GET',
    pattern: 'users/:username/passcode',
    handle: (c, r) => ({ body: { passcode: c.currentPasscode(arg(r, 0), r.query.get('device') ?? undefined) } }),
  },
  {
    method: 'GET',
    pattern: 'users/:username/sms',
    handle: (c, r) => ({ body: { passcodes: c.smsPasscodes(arg(r, 0)) } }),
  },
  { method: 'GET', pattern: 'pushes', handle: (c) => ({ body: { pushes: c.pendingPushes() } }) },
  {
    method: 'POST',
    pattern: 'push/:txid/approve',
    handle: (c, r) => {
      c.approve(arg(r, 0), parseApprove(r.body));
      return { body: { txid: arg(r, 0), status: 'allow' } };
    },
  },
  {
    method: 'POST',
    pattern: 'push/:txid/deny',
    handle: (c, r) => {
      const options = parseDeny(r.body);
      c.deny(arg(r, 0), options);
      return { body: { txid: arg(r, 0), status: options.fraud ? 'fraud' : 'deny' } };
    },
  },
  {
    method: 'GET',
    pattern: 'activations',
    handle: (c) => ({ body: { activations: c.state().pendingActivations } }),
  },
  {
    method: 'POST',
    pattern: 'activations/:code/complete',
    handle: (c, r) => ({ body: c.completeActivation(arg(r, 0)) }),
  },
  { method: 'GET', pattern: 'faults', handle: (c) => ({ body: { faults: c.faults() } }) },
  {
    method: 'POST',
    pattern: 'faults',
    handle: (c, r) => {
      c.setFault(faultFrom(r.body));
      return { status: 201, body: { faults: c.faults() } };
    },
  },
  {
    method: 'DELETE',
    pattern: 'faults',
    handle: (c) => {
      c.clearFaults();
      return { body: { faults: [] } };
    },
  },
  { method: 'GET', pattern: 'skew', handle: (c) => ({ body: { ms: c.skew() } }) },
  {
    method: 'POST',
    pattern: 'skew',
    handle: (c, r) => {
      c.setSkew(parseSkew(r.body));
      return { body: { ms: c.skew() } };
    },
  },
  {
    method: 'GET',
    pattern: 'policy/remembered-devices',
    handle: (c) => ({ body: c.rememberedDevices() }),
  },
  {
    method: 'PUT',
    pattern: 'policy/remembered-devices',
    handle: (c, r) => {
      c.setRememberedDevices(parseRememberedDevices(r.body));
      return { body: c.rememberedDevices() };
    },
  },
  {
    method: 'GET',
    pattern: 'users/:username/trusted-devices',
    handle: (c, r) => ({ body: { count: c.trustedDevices(arg(r, 0)) } }),
  },
  { method: 'GET', pattern: 'stats', handle: (c) => ({ body: c.stats() }) },
  {
    method: 'POST',
    pattern: 'stats/reset',
    handle: (c) => {
      c.resetStats();
      return { body: c.stats() };
    },
  },
  ...OAUTH_CONTROL_ROUTES,
];

function match(pattern: string, segments: readonly string[]): string[] | undefined {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const args: string[] = [];
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      args.push(segment);
    } else if (part !== segment) {
      return undefined;
    }
  }
  return args;
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function parseBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SandboxControlError(400, 'The request body is not valid JSON');
  }
}

/** `path` is the part after `/sandbox/`. */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  control: SandboxController,
  path: string,
  query: string,
): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) sendJson(res, 400, { error: error.message }, { Connection: 'close' });
    else req.socket.destroy();
    return;
  }
  const segments = decodeSegments(path.replace(/\/+$/, ''));
  const candidates = segments
    ? ROUTES.flatMap((route) => {
        const args = match(route.pattern, segments);
        return args ? [{ route, args }] : [];
      })
    : [];
  const found = candidates.find(({ route }) => route.method === req.method);
  if (!found) {
    if (candidates.length > 0) {
      const allow = candidates.map(({ route }) => route.method).join(', ');
      sendJson(res, 405, { error: `Use ${allow} for this control route` }, { Allow: allow });
    } else {
      sendJson(res, 404, { error: `No control route ${req.method ?? ''} /sandbox/${path}` });
    }
    return;
  }
  try {
    const request: ControlRequest = { args: found.args, body: parseBody(raw), query: new URLSearchParams(query) };
    const { status, body } = found.route.handle(control, request);
    sendJson(res, status ?? 200, body);
  } catch (error) {
    if (error instanceof SandboxControlError) sendJson(res, error.status, { error: error.message });
    else throw error;
  }
}
