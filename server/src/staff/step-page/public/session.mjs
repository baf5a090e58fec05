/*
 * What the admin Duo step page keeps in the browser: the open step handed over by the login page, and, once Duo
 * allowed the sign-in, the admin session exactly where Strapi's admin app looks for it.
 */
import { safeAuthorizeUrl } from './universal.mjs';

/* global URL */

/** Written by the plugin's glue on the login page (admin/src/glue), read here; never put in a URL. */
export const STEP_KEY = 'duo-security:step';

// Strapi's admin: JSON-stringified values under these keys (Strapi 4: helper-plugin `auth`; Strapi 5: the admin
// reducer, which also keeps `isLoggedIn` as its signal to other tabs).
const TOKEN_KEY = 'jwtToken';
const USER_KEY = 'userInfo';
const LOGGED_IN_KEY = 'isLoggedIn';

const STEP_ID = /^[A-Za-z0-9_-]{43}$/;

const isRecord = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isString = (value) => typeof value === 'string';

/** Only http(s) URLs may become a link or an image source (never `javascript:`). */
export function safeHttpUrl(value) {
  if (!isString(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function readDevice(value) {
  if (!isRecord(value) || !isString(value.id) || !isString(value.name) || !isString(value.type)) return null;
  const capabilities = Array.isArray(value.capabilities) ? value.capabilities.filter(isString) : [];
  return { id: value.id, name: value.name, type: value.type, capabilities };
}

function readActivation(value) {
  if (!isRecord(value)) return undefined;
  const qrCodeUrl = safeHttpUrl(value.qrCodeUrl);
  const activationUrl = safeHttpUrl(value.activationUrl);
  if (!qrCodeUrl || !activationUrl || !isString(value.activationCode)) return undefined;
  return {
    qrCodeUrl,
    activationUrl,
    activationCode: value.activationCode,
    expiresAt: isString(value.expiresAt) ? value.expiresAt : null,
  };
}

/** A required role's grace period as the server describes it (`duo.grace`); undefined when absent or malformed. */
function readGrace(value) {
  if (!isRecord(value)) return undefined;
  if (Number.isInteger(value.loginsLeft)) return { loginsLeft: value.loginsLeft };
  if (Number.isInteger(value.daysLeft) && isString(value.until))
    return { daysLeft: value.daysLeft, until: value.until };
  return undefined;
}

/** Duo's verdict as the server describes it (`details.duo`, or `duo` in a step answer); null when malformed. */
export function readDuoOptions(value) {
  const options = readChoices(value);
  if (!options) return options;
  const grace = readGrace(value.grace);
  // Whether a backup code can finish the step (false: an account that must enrol and has none); absent: not said.
  const codes = typeof value.backupCodes === 'boolean' ? { backupCodes: value.backupCodes } : {};
  return { ...options, ...codes, ...(grace ? { grace } : {}) };
}

function readChoices(value) {
  if (!isRecord(value)) return null;
  if (value.result === 'auth') {
    const devices = Array.isArray(value.devices) ? value.devices.map(readDevice).filter(Boolean) : [];
    const factors = Array.isArray(value.factors) ? value.factors.filter(isString) : ['passcode'];
    return { result: 'auth', devices, factors, verifiedPush: value.verifiedPush === true };
  }
  if (value.result === 'enroll') {
    const options = { result: 'enroll' };
    const portal = safeHttpUrl(value.enrollPortalUrl);
    if (portal) options.enrollPortalUrl = portal;
    const activation = readActivation(value.activation);
    if (activation) options.activation = activation;
    return options;
  }
  if (value.result === 'unavailable') return { result: 'unavailable' };
  if (value.result === 'universal') {
    const authorizeUrl = safeAuthorizeUrl(value.authorizeUrl);
    return authorizeUrl ? { result: 'universal', authorizeUrl } : null;
  }
  return null;
}

/** The step the login page handed over, checked field by field; null when there is none or it is malformed. */
export function readStep(storage) {
  let raw;
  try {
    raw = JSON.parse(storage.getItem(STEP_KEY) ?? 'null');
  } catch {
    return null;
  }
  if (!isRecord(raw) || !isRecord(raw.step)) return null;
  const { id, expiresAt } = raw.step;
  if (!isString(id) || !STEP_ID.test(id)) return null;
  const duo = readDuoOptions(raw.duo);
  if (duo === null) return null;
  return {
    step: { id, expiresAt: isString(expiresAt) ? expiresAt : null },
    duo,
    rememberMe: raw.rememberMe === true,
    redirectTo: isString(raw.redirectTo) ? raw.redirectTo : null,
    logo: isString(raw.logo) ? raw.logo : null,
  };
}

export function clearStep(storage) {
  storage.removeItem(STEP_KEY);
}

/**
 * Stores the admin session as Strapi's login form does: the token in localStorage with "Remember me"; otherwise
 * Strapi 4 keeps it in sessionStorage, and Strapi 5 in a cookie that the server set with the answer (either way an
 * older remembered token goes, since the admin reads localStorage first). Strapi 4 also keeps the user in
 * localStorage; Strapi 5 asks the server for it, and keeps `isLoggedIn` instead.
 */
export function storeAdminSession({ token, user, rememberMe }, { local, session }, strapiMajor = 4) {
  if (strapiMajor === 5) {
    if (rememberMe) local.setItem(TOKEN_KEY, JSON.stringify(token));
    else local.removeItem(TOKEN_KEY);
    local.setItem(LOGGED_IN_KEY, 'true');
    return;
  }
  if (rememberMe) {
    local.setItem(TOKEN_KEY, JSON.stringify(token));
  } else {
    local.removeItem(TOKEN_KEY);
    session.setItem(TOKEN_KEY, JSON.stringify(token));
  }
  if (isRecord(user)) local.setItem(USER_KEY, JSON.stringify(user));
}

function trimSlashes(path) {
  return path.replace(/\/+$/, '');
}

/**
 * Where to go once signed in: the admin path plus the login page's `redirectTo` (a path inside the admin app, as
 * Strapi's own redirects write it), only when it stays on this origin under the admin path; else the admin home.
 */
export function targetAfterSignIn(adminPath, redirectTo, origin) {
  const base = trimSlashes(adminPath);
  const home = base === '' ? '/' : base;
  if (!isString(redirectTo) || !redirectTo.startsWith('/') || redirectTo.startsWith('//')) return home;
  // Backslashes and control characters are read as slashes or dropped by URL parsers: refuse them outright.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(redirectTo)) return home;
  let url;
  try {
    url = new URL(base + redirectTo, origin);
  } catch {
    return home;
  }
  const inside = url.pathname === base || url.pathname.startsWith(`${base}/`);
  if (url.origin !== origin || !inside || url.pathname.startsWith(`${base}/auth/`)) return home;
  return url.pathname + url.search + url.hash;
}

/** The admin login form, keeping `redirectTo` so the next attempt still lands where the first one was going. */
export function signInUrl(adminPath, redirectTo, origin) {
  const base = trimSlashes(adminPath);
  const target = targetAfterSignIn(adminPath, redirectTo, origin);
  const keep = isString(redirectTo) && target !== (base === '' ? '/' : base);
  return `${base}/auth/login${keep ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`;
}

/** The login page's logo (a data: URL or one from this origin), else the plugin's copy of Strapi's. */
export function logoSource(logo, origin, fallback) {
  if (!isString(logo) || logo.length > 200_000) return fallback;
  if (logo.startsWith('data:image/')) return logo;
  try {
    const url = new URL(logo, origin);
    return url.origin === origin ? url.href : fallback;
  } catch {
    return fallback;
  }
}
