import { at, stringAt, type AppClient } from './http';

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

/** users-permissions login of a client who needs no Duo: `{ jwt, user }`. */
export async function plainLogin(app: AppClient, user: Credentials): Promise<string> {
  const body = await app.expect('/api/auth/local', 200, { body: { identifier: user.email, password: user.password } });
  return stringAt(body, 'jwt');
}

/** The password step of a client who must use Duo: the step id of the Duo step it opened. */
export async function duoPasswordStep(app: AppClient, user: Credentials): Promise<string> {
  const reply = await app.call('/api/auth/local', { body: { identifier: user.email, password: user.password } });
  if (reply.status !== 400 || at(reply.body, 'error', 'name') !== 'DuoRequiredError') {
    const name = String(at(reply.body, 'error', 'name'));
    const reason = at(reply.body, 'error', 'details', 'reason');
    throw new Error(
      `login of a Duo user: expected DuoRequiredError, got HTTP ${reply.status} ${name}${reason === undefined ? '' : ` (${String(reason)})`}`,
    );
  }
  return stringAt(reply.body, 'error', 'details', 'step', 'id');
}

/** Sends the push of an open step. */
export async function startPush(app: AppClient, stepId: string): Promise<void> {
  await app.expect('/api/duo-security/step/push', 200, { body: { step: stepId } });
}

/** Long-polls the step until Duo decides; returns the final answer's body. */
export async function awaitStep(app: AppClient, stepId: string): Promise<unknown> {
  for (;;) {
    const body = await app.expect('/api/duo-security/step/status', 200, { body: { step: stepId, wait: true } });
    const state = at(body, 'data', 'state');
    if (state === undefined || (state !== 'waiting' && state !== 'pending')) {
      if (state === 'denied' || state === 'cancelled') throw new Error(`the Duo step ended ${String(state)}`);
      return body;
    }
  }
}

/** Full Duo login: password, preauth (inside the password step), push, status until approved, token. */
export async function duoLogin(app: AppClient, user: Credentials): Promise<string> {
  const stepId = await duoPasswordStep(app, user);
  await startPush(app, stepId);
  return stringAt(await awaitStep(app, stepId), 'jwt');
}

/** Turns Duo on for a signed-in client (one approved push); returns the Duo-claimed token it hands out. */
export async function enableDuo(app: AppClient, jwt: string): Promise<string> {
  const started = await app.expect('/api/duo-security/me/enable', 200, { method: 'POST', token: jwt });
  const stepId = stringAt(started, 'data', 'step', 'id');
  await startPush(app, stepId);
  return stringAt(await awaitStep(app, stepId), 'data', 'jwt');
}
