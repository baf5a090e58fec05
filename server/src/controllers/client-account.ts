import type { ClientUser } from '../hosts/v4/clients/up-services';
import { accountController, type AccountCtx } from './account';

/**
 * WHMCS "Security Settings → Two-Factor Authentication" for clients, with the client's users-permissions JWT
 * (checked by the `is-client` policy, which leaves the user on `ctx.state.duoClient`).
 */
export const clientAccount = accountController(
  'clients',
  (ctx: AccountCtx) => ctx.state.duoClient as ClientUser | undefined,
);
