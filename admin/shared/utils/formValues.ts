import type {
  Audience,
  AudienceName,
  ConnectionCheckRequest,
  IntegrationType,
  Settings,
  SettingsUpdate,
} from '../api/types.ts';

/**
 * What the form edits. The Secret Key and Client Secret start empty: blank means "keep the stored one". The client
 * return URLs are one per line, as typed.
 */
export interface FormValues {
  integration: IntegrationType;
  integrationKey: string;
  secretKey: string;
  apiHostname: string;
  clientId: string;
  clientSecret: string;
  clientReturnUrls: string;
  staff: Audience;
  clients: Audience;
}

/** The text fields of a Duo application, of either type. */
export type KeyField = 'integrationKey' | 'secretKey' | 'apiHostname' | 'clientId' | 'clientSecret';
/** Every text field the form edits. */
export type TextField = KeyField | 'clientReturnUrls';

const KEY_FIELDS_BY_TYPE: Record<IntegrationType, readonly KeyField[]> = {
  'auth-api': ['integrationKey', 'secretKey', 'apiHostname'],
  universal: ['clientId', 'clientSecret', 'apiHostname'],
};

/** The fields of the selected type's application, in the order the form shows them (the API Hostname is shared). */
export function keyFieldsFor(integration: IntegrationType): readonly KeyField[] {
  return KEY_FIELDS_BY_TYPE[integration];
}

/** The non-blank lines of the return URLs field, trimmed. */
export function returnUrlLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const AUDIENCE_KEYS: readonly (keyof Audience)[] = [
  'enabled',
  'enforcement',
  'failMode',
  'usernameSource',
  'rememberDevices',
  'roles',
];

export function fromSettings(settings: Settings): FormValues {
  return {
    integration: settings.integration ?? 'auth-api',
    integrationKey: settings.integrationKey,
    secretKey: '',
    apiHostname: settings.apiHostname,
    clientId: settings.clientId ?? '',
    clientSecret: '',
    clientReturnUrls: (settings.clientReturnUrls ?? []).join('\n'),
    staff: { ...settings.staff, ...(settings.staff.roles ? { roles: [...settings.staff.roles] } : {}) },
    clients: { ...settings.clients, ...(settings.clients.roles ? { roles: [...settings.clients.roles] } : {}) },
  };
}

/** A field set in config/plugins; `lockedFields` holds dotted paths such as "integrationKey" or "staff.enabled". */
export function isLocked(lockedFields: readonly string[], path: string): boolean {
  return lockedFields.some((locked) => locked === path || path.startsWith(`${locked}.`));
}

function audienceUpdate(audience: Audience, name: AudienceName, lockedFields: readonly string[]): Partial<Audience> {
  const update: Partial<Audience> = {};
  for (const key of AUDIENCE_KEYS) {
    if (isLocked(lockedFields, `${name}.${key}`)) continue;
    switch (key) {
      case 'enabled':
        update.enabled = audience.enabled;
        break;
      case 'enforcement':
        update.enforcement = audience.enforcement;
        break;
      case 'failMode':
        update.failMode = audience.failMode;
        break;
      case 'usernameSource':
        update.usernameSource = audience.usernameSource;
        break;
      case 'rememberDevices':
        // Only when the server sent it, like the roles below.
        if (audience.rememberDevices !== undefined) update.rememberDevices = audience.rememberDevices;
        break;
      case 'roles':
        // Only when the server sent them: a page of an older server must not send what it does not know.
        if (audience.roles !== undefined) update.roles = audience.roles;
        break;
    }
  }
  return update;
}

/** The selected type's fields as typed and trimmed; blank secrets and fields set in config are left out. */
function keyValues(values: FormValues, lockedFields: readonly string[]): Partial<Record<KeyField, string>> {
  const found: Partial<Record<KeyField, string>> = {};
  for (const field of keyFieldsFor(values.integration)) {
    const value = values[field].trim();
    const secret = field === 'secretKey' || field === 'clientSecret';
    if (!isLocked(lockedFields, field) && !(secret && value === '')) found[field] = value;
  }
  return found;
}

/**
 * The PUT body for Save Changes: the type and its application's values, trimmed; the other type's values are left
 * as stored. Fields set in config are left out (the server would refuse them) and a blank secret is not sent, so
 * the stored one is kept.
 */
export function toUpdate(values: FormValues, lockedFields: readonly string[], activate: boolean): SettingsUpdate {
  const update: SettingsUpdate = {};
  if (activate) update.activated = true;
  if (!isLocked(lockedFields, 'integration')) update.integration = values.integration;
  Object.assign(update, keyValues(values, lockedFields));
  if (values.integration === 'universal' && !isLocked(lockedFields, 'clientReturnUrls')) {
    update.clientReturnUrls = returnUrlLines(values.clientReturnUrls);
  }
  const staff = audienceUpdate(values.staff, 'staff', lockedFields);
  if (Object.keys(staff).length > 0) update.staff = staff;
  const clients = audienceUpdate(values.clients, 'clients', lockedFields);
  if (Object.keys(clients).length > 0) update.clients = clients;
  return update;
}

/**
 * The Test connection body: the selected type and its unsaved values; what is blank or set in config is taken from
 * the server's copy.
 */
export function toCheckRequest(values: FormValues, lockedFields: readonly string[]): ConnectionCheckRequest {
  const request: ConnectionCheckRequest = { integration: values.integration };
  for (const [field, value] of Object.entries(keyValues(values, lockedFields))) {
    if (value !== '') request[field as KeyField] = value;
  }
  return request;
}
