import type { Strapi } from '@strapi/strapi';

import { DuoError } from '../duo/errors';
import type { DuoPreauthResult } from '../duo/types';
import { DuoIdentityError } from '../engine/duo-username';
import { DuoDeniedError, DuoUnavailableError } from '../engine/errors';
import { ownDevicesView, type OwnDevicesView } from '../engine/own-devices';
import { pluginService } from '../plugin-services';
import type { Audience } from '../settings/types';
import type { AccountUser } from './account';

/**
 * The devices Duo knows for the signed-in account, from a preauth of the Duo username its sign-ins use. No IP address is sent (an authorised network would hide the
 * devices) and no Verified Push is asked for (nobody is signing in). Duo out of reach is the plugin's
 * `DuoUnavailableError` answer, never a 500; nothing is audited (reading one's own devices changes nothing).
 */
export async function ownDevices(
  strapi: Strapi,
  audience: Audience,
  user: AccountUser,
  turnOffAllowed: boolean,
): Promise<OwnDevicesView> {
  const settings = await pluginService(strapi, 'settings').get();
  // Universal Prompt credentials cannot call the Auth API: Duo's own page shows the devices there.
  if (settings.integration === 'universal') return ownDevicesView({ result: 'universal' }, turnOffAllowed);
  let username: string;
  try {
    username = await pluginService(strapi, 'policy').duoUsername(settings, audience, user);
  } catch (error) {
    if (!(error instanceof DuoIdentityError)) throw error;
    throw new DuoDeniedError("This account cannot be checked with Duo; ask the site's administrator", 'identity');
  }
  let preauth: DuoPreauthResult;
  try {
    preauth = await pluginService(strapi, 'duo').client(settings).preauth({ username });
  } catch (error) {
    if (error instanceof DuoError) throw new DuoUnavailableError(error.reason);
    throw error;
  }
  return ownDevicesView(preauth, turnOffAllowed);
}
