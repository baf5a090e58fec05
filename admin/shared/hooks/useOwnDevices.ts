import { useIntl } from 'react-intl';

import { OWN_DEVICES_MESSAGES as M, type OwnDevices } from '../api/devices.ts';
import { readApiError } from '../api/errors.ts';

export interface OwnDevicesLoad {
  /** The devices, once loaded. */
  data: OwnDevices | undefined;
  /** What the last load threw, or null when it did not fail. */
  error: unknown;
}

export interface OwnDevicesView {
  title: string;
  intro: string;
  /** The server's reason, or the panel's own words, when the devices could not be loaded. */
  failure: string | null;
  /** Why Duo shows no device (its answer was not a device list). */
  none: string | null;
  devices: ReadonlyArray<{ id: string; name: string; details: string }>;
  addTitle: string;
  add: string;
  remove: string;
  /** Turning Duo off is refused for this account: this says why, and no button is offered. */
  turnOffRequired: string | null;
  turnOff: string;
}

/**
 * "Your devices", in words already translated for both admins: what Duo's preauth gives for the signed-in
 * administrator, what only Duo can do about them (the Auth API adds, renames and removes no device of an existing
 * Duo user), and whether Duo may be turned off. Each admin loads the devices with its own cache and lays this out.
 */
export function useOwnDevices({ data, error }: OwnDevicesLoad): OwnDevicesView {
  const { formatMessage } = useIntl();
  return {
    title: formatMessage(M.title),
    intro: formatMessage(M.intro),
    failure: error === null ? null : (readApiError(error)?.message ?? formatMessage(M.loadError)),
    none: data !== undefined && data.duo !== 'auth' ? formatMessage(M.none[data.duo]) : null,
    devices: (data?.devices ?? []).map((device) => ({
      id: device.id,
      name: device.name,
      details: `(${[device.type, device.number || formatMessage(M.noNumber), ...device.capabilities].join(', ')})`,
    })),
    addTitle: formatMessage(M.addTitle),
    add: formatMessage(M.add),
    remove: formatMessage(M.remove),
    turnOffRequired: data?.turnOffAllowed === false ? formatMessage(M.turnOffRequired) : null,
    turnOff: formatMessage(M.turnOff),
  };
}
