import type { Audience, AudienceName, ConnectionCheckRequest, Settings, SettingsUpdate } from '../api/types.ts';

/** What the form edits. The Secret Key starts empty: blank means "keep the stored key". */
export interface FormValues {
  integrationKey: string;
  secretKey: string;
  apiHostname: string;
  staff: Audience;
  clients: Audience;
}

export type KeyField = 'integrationKey' | 'secretKey' | 'apiHostname';

export const KEY_FIELDS: readonly KeyField[] = ['integrationKey', 'secretKey', 'apiHostname'];

const AUDIENCE_KEYS: readonly (keyof Audience)[] = ['enabled', 'enforcement', 'failMode', 'usernameSource'];

export function fromSettings(settings: Settings): FormValues {
  return {
    integrationKey: settings.integrationKey,
    secretKey: '',
    apiHostname: settings.apiHostname,
    staff: { ...settings.staff },
    clients: { ...settings.clients },
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
    }
  }
  return update;
}

/**
 * The PUT body for Save Changes: every editable value, trimmed; fields set in config are left out (the server would
 * ignore or refuse them) and a blank Secret Key is not sent, so the stored one is kept.
 */
export function toUpdate(values: FormValues, lockedFields: readonly string[], activate: boolean): SettingsUpdate {
  const update: SettingsUpdate = {};
  if (activate) update.activated = true;
  const integrationKey = values.integrationKey.trim();
  const secretKey = values.secretKey.trim();
  const apiHostname = values.apiHostname.trim();
  if (!isLocked(lockedFields, 'integrationKey')) update.integrationKey = integrationKey;
  if (!isLocked(lockedFields, 'secretKey') && secretKey !== '') update.secretKey = secretKey;
  if (!isLocked(lockedFields, 'apiHostname')) update.apiHostname = apiHostname;
  const staff = audienceUpdate(values.staff, 'staff', lockedFields);
  if (Object.keys(staff).length > 0) update.staff = staff;
  const clients = audienceUpdate(values.clients, 'clients', lockedFields);
  if (Object.keys(clients).length > 0) update.clients = clients;
  return update;
}

/** The Test connection body: the unsaved keys; what is blank or set in config is taken from the server's copy. */
export function toCheckRequest(values: FormValues, lockedFields: readonly string[]): ConnectionCheckRequest {
  const request: ConnectionCheckRequest = {};
  for (const field of KEY_FIELDS) {
    const value = values[field].trim();
    if (value !== '' && !isLocked(lockedFields, field)) request[field] = value;
  }
  return request;
}
