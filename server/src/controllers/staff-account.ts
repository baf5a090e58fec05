import { accountController, type AccountCtx, type AccountUser } from './account';

/**
 * "Two-factor (Duo)" for the signed-in administrator, with the admin JWT (Strapi's admin authentication, Duo claim
 * check included, leaves the administrator on `ctx.state.user`).
 */
export const staffAccount = accountController('staff', (ctx: AccountCtx) => {
  const user = ctx.state.user as AccountUser | undefined;
  return user !== undefined && typeof user.id === 'number' ? user : undefined;
});
