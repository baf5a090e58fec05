/** Strapi's admin keeps its session token here, JSON-stringified (helper-plugin `auth`). */
const TOKEN_KEY = 'jwtToken';

export interface TokenStorages {
  local: Storage;
  session: Storage;
}

/**
 * Puts a new admin token where the admin app reads it: in every storage that holds one ("Remember me" keeps it in
 * localStorage; the admin also mirrors it into sessionStorage). The admin's requests read the token from storage
 * each time, so the next request already uses it. Turning Duo on needs this: it ends sessions without the Duo claim.
 */
export function replaceAdminToken(
  token: string,
  storages: TokenStorages = { local: window.localStorage, session: window.sessionStorage },
): void {
  const value = JSON.stringify(token);
  let replaced = false;
  for (const storage of [storages.local, storages.session]) {
    if (storage.getItem(TOKEN_KEY) !== null) {
      storage.setItem(TOKEN_KEY, value);
      replaced = true;
    }
  }
  if (!replaced) storages.session.setItem(TOKEN_KEY, value);
}
