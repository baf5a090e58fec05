import type { MessageDescriptor } from 'react-intl';

import { getTrad } from '../utils/getTrad.ts';
import type { GetJson } from './get.ts';

/** GET /duo-security/me/devices: the devices Duo's preauth gives for the signed-in administrator. */
export const DEVICES_PATH = '/duo-security/me/devices';

export interface OwnDevice {
  id: string;
  name: string;
  type: string;
  /** As Duo masks it (`XXX-XXX-1234`), or empty. */
  number: string;
  capabilities: string[];
}

export type OwnDevicesState = 'auth' | 'allow' | 'deny' | 'enroll' | 'universal';

export interface OwnDevices {
  duo: OwnDevicesState;
  devices: OwnDevice[];
  turnOffAllowed: boolean;
}

const STATES: readonly OwnDevicesState[] = ['auth', 'allow', 'deny', 'enroll', 'universal'];
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

function readDevice(value: unknown): OwnDevice[] {
  if (!isRecord(value) || !isString(value.id) || !isString(value.name) || !isString(value.type)) return [];
  const number = isString(value.number) ? value.number : '';
  const capabilities = Array.isArray(value.capabilities) ? value.capabilities.filter(isString) : [];
  return [{ id: value.id, name: value.name, type: value.type, number, capabilities }];
}

/** The answer's `data`, or undefined when it is not one this page understands. */
export function readOwnDevices(data: unknown): OwnDevices | undefined {
  if (!isRecord(data) || !STATES.includes(data.duo as OwnDevicesState) || !Array.isArray(data.devices)) {
    return undefined;
  }
  const manage = isRecord(data.manage) ? data.manage : {};
  const turnOff = isRecord(manage.turnOff) ? manage.turnOff : {};
  return {
    duo: data.duo as OwnDevicesState,
    devices: data.devices.flatMap(readDevice),
    turnOffAllowed: turnOff.allowed === true,
  };
}

/**
 * The devices' own cache key in both admins (Strapi 4's react-query, under the plugin's id; Strapi 5's useResource).
 * Not the account's: turning Duo off reloads the status, which unmounts the panel, and a devices reload started then
 * would be cancelled mid-flight (react-query logs that as an error).
 */
export const OWN_DEVICES_KEY = 'own-devices';

/** Loads the devices; throws when the answer is not one this page understands (shown as the panel's failure). */
export async function loadOwnDevices(get: GetJson): Promise<OwnDevices> {
  const answer = readOwnDevices((await get<{ data?: unknown }>(DEVICES_PATH)).data.data);
  if (answer === undefined) throw new Error('unreadable');
  return answer;
}

/** The words of the devices panel (both admins); the server's own English `message`s are for API clients. */
export const OWN_DEVICES_MESSAGES = {
  title: { id: getTrad('account.devices.title'), defaultMessage: 'Your devices' },
  intro: {
    id: getTrad('account.devices.intro'),
    defaultMessage: 'The devices Duo knows for your account, as Duo shows them (phone numbers masked).',
  },
  loadError: {
    id: getTrad('account.devices.loadError'),
    defaultMessage: 'Your devices could not be loaded.',
  },
  none: {
    allow: {
      id: getTrad('account.devices.none.allow'),
      defaultMessage:
        'Duo lets your account in without a second factor (bypass or an allowing policy): it shows no device for it. Ask your Duo administrator.',
    },
    deny: {
      id: getTrad('account.devices.none.deny'),
      defaultMessage:
        'Duo refuses your account (disabled or locked out): it shows no device for it. Ask your Duo administrator.',
    },
    enroll: {
      id: getTrad('account.devices.none.enroll'),
      defaultMessage:
        'Duo knows no device for your account any more. Turn two-factor authentication off and on to activate one.',
    },
    universal: {
      id: getTrad('account.devices.none.universal'),
      defaultMessage: "This site uses Duo's Universal Prompt, which shows and manages your devices itself.",
    },
  } satisfies Record<Exclude<OwnDevicesState, 'auth'>, MessageDescriptor>,
  addTitle: { id: getTrad('account.devices.add.title'), defaultMessage: 'Add another device' },
  add: {
    id: getTrad('account.devices.add.text'),
    defaultMessage:
      "Duo's Auth API cannot add a device to an existing Duo account: add it from Duo's device management portal (offered in Duo's own prompt, if your Duo administrator enabled it), or ask your Duo administrator.",
  },
  remove: {
    id: getTrad('account.devices.remove.text'),
    defaultMessage:
      "Renaming or removing a device is not possible here either: do it from Duo's device management portal (if your Duo administrator enabled it), or ask your Duo administrator.",
  },
  turnOff: { id: getTrad('account.devices.turnOff'), defaultMessage: 'Turn off two-factor authentication' },
  turnOffRequired: {
    id: getTrad('account.devices.turnOffRequired'),
    defaultMessage: 'This site requires two-factor authentication for your account: it cannot be turned off.',
  },
  noNumber: { id: getTrad('account.devices.noNumber'), defaultMessage: 'no number' },
} as const;
