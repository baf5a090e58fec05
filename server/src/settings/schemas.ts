import { yup } from '../utils/strapi-utils';

import { MAX_RETURN_URL_LENGTH, MAX_RETURN_URLS, returnUrlsProblems } from './return-urls';
import { INTEGRATION_TYPES, USERNAME_SOURCES, type Audience } from './types';

/**
 * Server-side schemas for everything that can change the settings: strict types (no coercion) and unknown fields
 * refused, so a typo fails loudly instead of silently leaving two-factor authentication off.
 */

// Messages never quote the submitted value: a Secret Key typed into the wrong field must not come back in an error.
export const INTEGRATION_KEY_PATTERN = /^DI[A-Z0-9]{18}$/;
export const SECRET_KEY_PATTERN = /^[A-Za-z0-9]{40}$/;
// A Web SDK application's Client ID looks like an Integration Key; its Client Secret like a Secret Key.
export const CLIENT_ID_PATTERN = INTEGRATION_KEY_PATTERN;
export const CLIENT_SECRET_PATTERN = SECRET_KEY_PATTERN;
// No "@" or "\\": Duo's username normalization strips what stands before or after them, which would merge names.
export const CLIENT_USERNAME_PREFIX_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;

export const MESSAGES = {
  integrationKey: 'The Integration Key is 20 characters, starting with DI (uppercase letters and digits)',
  secretKey: 'The Secret Key is 40 letters and digits',
  apiHostname: 'The API Hostname looks like api-XXXXXXXX.duosecurity.com',
  clientId: 'The Client ID is 20 characters, starting with DI (uppercase letters and digits)',
  clientSecret: 'The Client Secret is 40 letters and digits',
  integration: 'The integration type is auth-api (Auth API) or universal (Universal Prompt)',
  clientReturnUrls: `At most ${MAX_RETURN_URLS} client return URLs, each a string`,
} as const;

const integrationField = () => yup.string().oneOf([...INTEGRATION_TYPES], MESSAGES.integration);

/**
 * The list's shape; each URL's rules (scheme, host, fragment) are in return-urls.ts, checked with the environment
 * known (settings-validation.ts for the API, `pluginConfigSchema` below for the config file).
 */
const returnUrlsField = () =>
  yup
    .array()
    .typeError(MESSAGES.clientReturnUrls)
    .max(MAX_RETURN_URLS, MESSAGES.clientReturnUrls)
    .of(
      yup
        .string()
        .typeError(MESSAGES.clientReturnUrls)
        .max(MAX_RETURN_URL_LENGTH, `A client return URL is at most ${MAX_RETURN_URL_LENGTH} characters`)
        .required('A client return URL cannot be empty'),
    )
    .default(undefined);

export const MAX_ROLE_OVERRIDES = 200;
export const MAX_GRACE_DAYS = 365;
export const MAX_GRACE_LOGINS = 100;

/** One role's override: a known enforcement, a grace period only for `required`, days or sign-ins, not both. */
const roleEnforcementSchema = () =>
  yup
    .object({
      role: yup.number().integer().min(1).required('Each role override names its role'),
      enforcement: yup
        .string()
        .oneOf(['off', 'optional', 'required'], 'A role is off, optional or required')
        .required('Each role override says off, optional or required'),
      graceDays: yup
        .number()
        .integer('The grace period is a whole number of days')
        .min(1)
        .max(MAX_GRACE_DAYS, `The grace period is at most ${MAX_GRACE_DAYS} days`),
      graceLogins: yup
        .number()
        .integer('The grace period is a whole number of sign-ins')
        .min(1)
        .max(MAX_GRACE_LOGINS, `The grace period is at most ${MAX_GRACE_LOGINS} sign-ins`),
    })
    .noUnknown()
    .strict()
    .test('grace', 'A grace period is days or sign-ins, and only for a required role', (value) => {
      if (value === undefined || value === null) return true;
      const grace = [value.graceDays, value.graceLogins].filter((v) => v !== undefined);
      return grace.length === 0 || (grace.length === 1 && value.enforcement === 'required');
    });

const rolesField = () =>
  yup
    .array()
    .typeError('Role overrides are a list')
    .max(MAX_ROLE_OVERRIDES, `At most ${MAX_ROLE_OVERRIDES} role overrides`)
    .of(roleEnforcementSchema())
    .test('unique-roles', 'A role has one override', (value) => {
      if (!Array.isArray(value)) return true;
      const ids = value.map((entry: { role?: unknown }) => entry?.role);
      return new Set(ids).size === ids.length;
    })
    .default(undefined);

function audienceSchema(audience: Audience) {
  return yup
    .object({
      enabled: yup.boolean(),
      enforcement: yup.string().oneOf(['optional', 'required']),
      failMode: yup.string().oneOf(['closed', 'open']),
      rememberDevices: yup.boolean(),
      usernameSource: yup
        .string()
        .oneOf(
          [...USERNAME_SOURCES[audience]],
          `${audience} Duo usernames come from ${USERNAME_SOURCES[audience].join(' or ')}`,
        ),
      roles: rolesField(),
    })
    .noUnknown()
    .strict()
    .default(undefined);
}

/** The values of a Duo application (either type) as typed in the page; empty strings mean "not given here". */
const credentialFields = () => ({
  integrationKey: yup
    .string()
    .matches(INTEGRATION_KEY_PATTERN, { message: MESSAGES.integrationKey, excludeEmptyString: true }),
  secretKey: yup
    .string()
    .typeError(MESSAGES.secretKey)
    .matches(SECRET_KEY_PATTERN, { message: MESSAGES.secretKey, excludeEmptyString: true }),
  apiHostname: yup.string().max(255, MESSAGES.apiHostname),
  integration: integrationField(),
  clientId: yup.string().matches(CLIENT_ID_PATTERN, { message: MESSAGES.clientId, excludeEmptyString: true }),
  clientSecret: yup
    .string()
    .typeError(MESSAGES.clientSecret)
    .matches(CLIENT_SECRET_PATTERN, { message: MESSAGES.clientSecret, excludeEmptyString: true }),
});

/** The body of `PUT /duo-security/settings`. An empty `secretKey` (or `clientSecret`) means "keep the stored one". */
export const settingsUpdateSchema = yup
  .object({
    activated: yup.boolean(),
    ...credentialFields(),
    clientReturnUrls: returnUrlsField(),
    staff: audienceSchema('staff'),
    clients: audienceSchema('clients'),
  })
  .noUnknown()
  .strict();

/** The body of `POST /duo-security/settings/check`: unsaved form values to test. */
export const connectionCheckSchema = yup.object(credentialFields()).noUnknown().strict();

/** The first bad return URL written in config/plugins.js, judged for the environment the app starts in. */
function configReturnUrlProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const urls = value.filter((url): url is string => typeof url === 'string');
  const first = returnUrlsProblems(urls, process.env.NODE_ENV === 'production')[0];
  return first === undefined ? undefined : `clientReturnUrls[${first.index}]: ${first.message}`;
}

/** A name for `settingsEnv`, e.g. DUO_IKEY: the page shows it, so it must look like a variable name. */
const envVariableName = () =>
  yup.string().matches(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'settingsEnv names environment variables, like DUO_IKEY');

/** `config/plugins.js` → `'duo-security': { config: { … } }`. */
export const pluginConfigSchema = yup
  .object({
    encryptionKey: yup
      .string()
      .typeError('encryptionKey must be a string')
      .min(16, 'encryptionKey must be at least 16 characters')
      .nullable(),
    settings: yup
      .object({
        activated: yup.boolean(),
        integrationKey: yup.string().matches(INTEGRATION_KEY_PATTERN, MESSAGES.integrationKey),
        secretKey: yup.string().typeError(MESSAGES.secretKey).matches(SECRET_KEY_PATTERN, MESSAGES.secretKey),
        apiHostname: yup.string(),
        integration: integrationField(),
        clientId: yup.string().matches(CLIENT_ID_PATTERN, MESSAGES.clientId),
        clientSecret: yup
          .string()
          .typeError(MESSAGES.clientSecret)
          .matches(CLIENT_SECRET_PATTERN, MESSAGES.clientSecret),
        clientReturnUrls: returnUrlsField().test(
          'return-urls',
          ({ value }: { value?: unknown }) => configReturnUrlProblem(value) ?? 'invalid client return URL',
          (value: unknown) => configReturnUrlProblem(value) === undefined,
        ),
        staff: audienceSchema('staff'),
        clients: audienceSchema('clients'),
      })
      .noUnknown()
      .strict()
      .default(undefined),
    settingsEnv: yup
      .object({
        integrationKey: envVariableName(),
        secretKey: envVariableName(),
        apiHostname: envVariableName(),
        clientId: envVariableName(),
        clientSecret: envVariableName(),
      })
      .noUnknown()
      .strict()
      .default(undefined),
    signatureVersion: yup.number().oneOf([2, 5]),
    ca: yup.string(),
    proxy: yup.string(),
    lookup: yup.mixed().test('lookup-function', "lookup must be a function with dns.lookup's contract", (value) => {
      return value === undefined || typeof value === 'function';
    }),
    duoCallTimeoutMs: yup.number().integer().min(1000).max(30_000),
    statusWaitMs: yup.number().integer().min(1000).max(25_000),
    settingsCacheSeconds: yup.number().integer().min(0).max(300),
    stepTtlSeconds: yup.number().integer().min(60).max(3600),
    maxPasscodeAttempts: yup.number().integer().min(1).max(20),
    maxPromptsPerStep: yup.number().integer().min(1).max(10),
    clientUsernamePrefix: yup
      .string()
      .matches(
        CLIENT_USERNAME_PREFIX_PATTERN,
        'clientUsernamePrefix is 1-40 letters, digits, dots, dashes or underscores',
      ),
  })
  .noUnknown()
  .strict();
