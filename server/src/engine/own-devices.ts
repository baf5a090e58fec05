import type { DuoCapability, DuoPreauthResult } from '../duo/types';

/** One device Duo knows for the signed-in account, as preauth described it (the number masked by Duo). */
export interface OwnDevice {
  /** Duo's device identifier. */
  readonly id: string;
  /** The name the user gave the device, else Duo's display name (`iOS (XXX-XXX-1234)`). */
  readonly name: string;
  readonly type: string;
  /** Duo's masked number (`XXX-XXX-1234`), or `''` (tokens, tablets). */
  readonly number: string;
  readonly capabilities: readonly DuoCapability[];
}

/**
 * What the Auth API does not do, said plainly with where to do it. The Auth API has no call that adds a device to,
 * renames or removes a device of, an existing Duo user (its `enroll` makes a new Duo user).
 */
export const OWN_DEVICE_LIMITS = {
  addDevice:
    "Duo's Auth API cannot add a device to an existing Duo account: add it from Duo's device management portal " +
    "(offered in Duo's own prompt, if your Duo administrator enabled it), or ask your Duo administrator.",
  removeDevice:
    "Duo's Auth API cannot rename or remove a device: do it from Duo's device management portal (if your Duo " +
    'administrator enabled it), or ask your Duo administrator.',
} as const;

/** What preauth said of the account: `auth` lists devices; the other answers have none to list. */
export type OwnDevicesState = 'auth' | 'allow' | 'deny' | 'enroll' | 'universal';

export interface OwnDevicesView {
  readonly duo: OwnDevicesState;
  readonly devices: readonly OwnDevice[];
  /** Why there is no device to list, when there is none; else null. */
  readonly message: string | null;
  readonly manage: {
    readonly addDevice: { readonly through: 'duo'; readonly message: string };
    readonly removeDevice: { readonly through: 'duo'; readonly message: string };
    /** Turning Duo off is the plugin's own (`…/me/disable`, with a fresh verification) unless the site requires it. */
    readonly turnOff: { readonly allowed: boolean };
  };
}

const WHY_NONE: Record<Exclude<OwnDevicesState, 'auth'>, string> = {
  allow:
    'Duo lets this account in without a second factor (bypass or an allowing policy): it shows no device for it. ' +
    'Ask your Duo administrator.',
  deny: 'Duo refuses this account (disabled or locked out): it shows no device for it. Ask your Duo administrator.',
  enroll: 'Duo knows no device for this account any more. Turn two-factor authentication off and on to activate one.',
  universal:
    "This site uses Duo's Universal Prompt, which shows and manages your devices itself: Duo's Auth API is not " +
    'used here.',
};

/**
 * The signed-in account's devices from a preauth answer. Only what a person needs to recognise a device: never
 * Duo's Verified Push code or the next SMS passcode's first digit that preauth may carry.
 */
export function ownDevicesView(
  preauth: DuoPreauthResult | { readonly result: 'universal' },
  turnOffAllowed: boolean,
): OwnDevicesView {
  const manage = {
    addDevice: { through: 'duo', message: OWN_DEVICE_LIMITS.addDevice },
    removeDevice: { through: 'duo', message: OWN_DEVICE_LIMITS.removeDevice },
    turnOff: { allowed: turnOffAllowed },
  } as const;
  if (preauth.result !== 'auth') return { duo: preauth.result, devices: [], message: WHY_NONE[preauth.result], manage };
  const devices = preauth.devices.map((device): OwnDevice => ({
    id: device.device,
    name: device.name || device.displayName,
    type: device.type,
    number: device.number,
    capabilities: [...device.capabilities],
  }));
  return { duo: 'auth', devices, message: null, manage };
}
