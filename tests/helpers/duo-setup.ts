import type { DuoSandbox } from '../../server/src/sandbox';
import type { BootedStrapi } from './strapi';

export interface AudienceConfig {
  enabled?: boolean;
  enforcement?: 'optional' | 'required';
  failMode?: 'closed' | 'open';
  usernameSource?: 'id' | 'email' | 'username';
  roles?: Array<{
    role: number;
    enforcement: 'off' | 'optional' | 'required';
    graceDays?: number;
    graceLogins?: number;
  }>;
}

/** Activates the plugin against the sandbox through the settings API, as an administrator would. */
export async function activateDuo(
  app: BootedStrapi,
  adminToken: string,
  sandbox: DuoSandbox,
  audiences: { staff?: AudienceConfig; clients?: AudienceConfig },
): Promise<void> {
  const response = await app.api('/duo-security/settings', {
    token: adminToken,
    method: 'PUT',
    body: {
      activated: true,
      integrationKey: sandbox.ikey,
      secretKey: sandbox.skey,
      apiHostname: sandbox.url,
      ...(audiences.staff ? { staff: audiences.staff } : {}),
      ...(audiences.clients ? { clients: audiences.clients } : {}),
    },
  });
  if (response.status !== 200)
    throw new Error(`activating Duo failed: ${response.status} ${JSON.stringify(response.body)}`);
}
