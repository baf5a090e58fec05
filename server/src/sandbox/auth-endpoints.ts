import { invalidParameter, missingParameter } from './errors';
import { type Endpoint, type EndpointContext, ok, lookupUser } from './endpoint-context';
import { randomDigits, randomHex } from './ids';
import { LOGO_PNG } from './images';
import { duoDevice } from './users';

const DEFAULT_VALID_SECS = 86_400;

export const ping: Endpoint = ({ clock }) => ok({ time: clock.nowSec() });

export const check: Endpoint = ({ clock }) => ok({ time: clock.nowSec() });

export const logo: Endpoint = () => ({ kind: 'raw', contentType: 'image/png', body: LOGO_PNG });

function positiveInteger(context: EndpointContext, name: string, max: number): number | undefined {
  const text = context.params.get(name);
  if (text === undefined || text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw invalidParameter(name);
  return value;
}

export const enroll: Endpoint = (context) => {
  const { params, state, clock } = context;
  const username = params.has('username') ? (params.get('username') ?? '') : randomHex(16);
  if (state.userByName(username)) throw invalidParameter('username');
  const validSecs = positiveInteger(context, 'valid_secs', 10 * 365 * 86_400) ?? DEFAULT_VALID_SECS;
  // Only the Python client sends bypass_codes (a count); Duo's captured reply has no such field otherwise.
  const bypassCount = positiveInteger(context, 'bypass_codes', 10);
  const bypassCodes = Array.from({ length: bypassCount ?? 0 }, () => randomDigits(9));

  const user = state.addUser({ username, devices: [], bypassCodes });
  const { url, apiHostname } = state.links();
  const expiresMs = (clock.nowSec() + validSecs) * 1000;
  const activation = state.activations.createEnroll(user.id, username, expiresMs, apiHostname);
  return ok({
    activation_barcode: `${url}/frame/qr?value=${encodeURIComponent(activation.code)}`,
    activation_code: activation.code,
    activation_url: state.activationUrl(activation),
    ...(bypassCount === undefined ? {} : { bypass_codes: bypassCodes }),
    expiration: Math.floor(expiresMs / 1000),
    user_id: user.id,
    username,
  });
};

export const enrollStatus: Endpoint = ({ params, state, clock }) => {
  const userId = params.get('user_id');
  const code = params.get('activation_code');
  if (!userId) throw missingParameter('user_id');
  if (!code) throw missingParameter('activation_code');
  const activation = state.activations.byCode(code);
  if (!activation || activation.kind !== 'enroll' || activation.userId !== userId) return ok('invalid');
  if (activation.completed) return ok('success');
  return ok(activation.expiresMs < clock.nowMs() ? 'invalid' : 'waiting');
};

const ENROLL_MESSAGE = 'Enroll an authentication device to proceed';

export const preauth: Endpoint = (context) => {
  const { state, clock, params, newUserPolicy } = context;
  const { user, username, by } = lookupUser(context);
  const enrollReply = (name: string): ReturnType<Endpoint> =>
    ok({
      enroll_portal_url: state.activationUrl(state.activations.portalFor(name, clock.nowMs())),
      result: 'enroll',
      status_msg: ENROLL_MESSAGE,
    });

  if (!user) {
    // Duo can only send a user to enrolment by name; an unknown user_id is just an invalid parameter.
    if (username === undefined) throw invalidParameter(by);
    if (newUserPolicy === 'allow') return ok({ result: 'allow', status_msg: 'Allowing unknown user' });
    if (newUserPolicy === 'deny') return ok({ result: 'deny', status_msg: 'Access denied: unknown user' });
    return enrollReply(username);
  }
  switch (user.status) {
    case 'bypass':
      return ok({ result: 'allow', status_msg: 'Account is in bypass mode' });
    case 'disabled':
      return ok({ result: 'deny', status_msg: 'Your account is disabled.' });
    case 'locked_out':
      return ok({ result: 'deny', status_msg: 'Your account is locked out.' });
    case 'active':
      break;
  }
  if (user.devices.length === 0) return enrollReply(user.username);
  // Remembered devices: a token an earlier allow issued to this same user, within the policy's period.
  if (state.trustedDevices.honours(params.get('trusted_device_token'), user.id)) {
    return ok({ result: 'allow', status_msg: 'Remembered device' });
  }

  const verified =
    user.verifiedPush && params.flag('client_supports_verified_push')
      ? state.transactions.issueChallenge(user.id)
      : undefined;
  return ok({
    devices: user.devices.map(duoDevice),
    ...(verified ? { expiration: Math.floor(verified.expiresMs / 1000) } : {}),
    result: 'auth',
    status_msg: 'Account is active',
    ...(verified ? { txid: verified.txid, verification_code: verified.verificationCode } : {}),
  });
};
