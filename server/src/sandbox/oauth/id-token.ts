import { randomUUID } from 'node:crypto';

import { base64url, type JsonObject, signJws } from './jws';
import type { CodeGrant } from './codes';
import type { SandboxOAuthClient, TokenTamper } from '../types';

/** Duo's id_token lifetime is unpublished; 300 s matches its request JWTs. */
export const ID_TOKEN_LIFE_SEC = 300;

export interface MintInput {
  readonly client: SandboxOAuthClient;
  /** `https://host/oauth/v1/token` as this client addresses the sandbox. */
  readonly issuer: string;
  readonly grant: CodeGrant;
  readonly nowSec: number;
  readonly tamper?: TokenTamper;
}

function authContext(grant: CodeGrant, clientId: string, nowSec: number): JsonObject {
  return {
    txid: grant.txid,
    timestamp: nowSec,
    isotimestamp: new Date(nowSec * 1000).toISOString(),
    event_type: 'authentication',
    factor: grant.factor,
    result: grant.result === 'allow' ? 'success' : 'denied',
    reason: grant.result === 'allow' ? 'user_approved' : 'user_marked_fraud',
    alias: '',
    email: '',
    ood_software: null,
    user: { name: grant.username, key: grant.userKey, groups: [] },
    application: { name: grant.appName ?? 'Duo sandbox Web SDK', key: clientId },
    auth_device: { ip: '127.0.0.1', name: 'Sandbox phone', location: { city: '', country: '', state: '' } },
    access_device: {
      ip: '127.0.0.1',
      hostname: null,
      epkey: null,
      location: { city: '', country: '', state: '' },
      browser: 'Sandbox',
      browser_version: '1',
      os: 'Sandbox',
      os_version: '1',
      flash_version: 'uninstalled',
      java_version: 'uninstalled',
      is_encryption_enabled: 'unknown',
      is_firewall_enabled: 'unknown',
      is_password_set: 'unknown',
    },
  };
}

/** The claims Duo's SDKs read (§2.5), before any fault bends them. */
export function idTokenClaims({ client, issuer, grant, nowSec }: MintInput): JsonObject {
  return {
    iss: issuer,
    sub: grant.username,
    aud: client.clientId,
    exp: nowSec + ID_TOKEN_LIFE_SEC,
    iat: nowSec,
    jti: randomUUID(),
    auth_time: grant.authTime,
    preferred_username: grant.username,
    ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
    amr: grant.result === 'allow' ? ['mfa', grant.factor === 'passcode' ? 'otp' : 'push'] : [],
    auth_result: { result: grant.result, status: grant.result, status_msg: grant.statusMsg },
    auth_context: authContext(grant, client.clientId, nowSec),
  };
}

/** One broken field per fault, so each client check can be shown to bite on its own. */
function bend(claims: JsonObject, tamper: TokenTamper | undefined, nowSec: number): JsonObject {
  const out = { ...claims };
  switch (tamper) {
    case 'iss':
      out['iss'] = `${String(claims['iss'])}/elsewhere`;
      break;
    case 'aud':
      out['aud'] = 'DIXXXXXXXXXXXXXXXXXX';
      break;
    case 'no-exp':
      delete out['exp'];
      break;
    case 'no-iat':
      delete out['iat'];
      break;
    case 'expired':
      out['exp'] = nowSec - 120;
      out['iat'] = nowSec - 420;
      break;
    case 'future-iat':
      out['iat'] = nowSec + 120;
      break;
    case 'username':
      out['preferred_username'] = `${String(claims['preferred_username'])}-other`;
      break;
    case 'nonce-wrong':
      out['nonce'] = 'sandbox-wrong-nonce-0000';
      break;
    case 'nonce-absent':
      delete out['nonce'];
      break;
    case 'deny':
      out['auth_result'] = { result: 'deny', status: 'deny', status_msg: 'Login denied' };
      break;
    default:
      break;
  }
  return out;
}

export function mintIdToken(input: MintInput): string {
  const { tamper, client, nowSec } = input;
  const claims = bend(idTokenClaims(input), tamper, nowSec);
  if (tamper === 'alg-none')
    return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`;
  if (tamper === 'alg-hs256') return signJws(claims, client.clientSecret, 'HS256');
  const token = signJws(claims, client.clientSecret);
  if (tamper !== 'signature') return token;
  return signJws(claims, `${client.clientSecret}x`);
}
