/** GET /duo-security/users and POST /duo-security/users/reset (permissions users.read / users.reset). */

export type UserAudience = 'staff' | 'clients';
export type DuoStatus = 'active' | 'pending' | 'disabled' | 'none';

export interface DuoUser {
  id: number;
  audience: UserAudience;
  email: string | null;
  username: string | null;
  /** An administrator's first and last name; null for clients. */
  name: string | null;
  duo: { status: DuoStatus; enabledAt: string | null; lastUsedAt: string | null };
}

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export interface UserList {
  data: DuoUser[];
  meta: { pagination: Pagination };
}

export interface UserListQuery {
  audience: UserAudience;
  search: string;
  page: number;
  pageSize: number;
}

export const USERS_PATH = '/duo-security/users';
export const RESET_PATH = '/duo-security/users/reset';
export const ACCOUNT_PATH = '/duo-security/me';

/** GET /duo-security/me. */
export interface AccountStatus {
  /** Duo is offered to administrators (activated and enabled for staff). */
  available: boolean;
  enabled: boolean;
  /** Enforcement requires Duo for every administrator: it cannot be turned off. */
  required: boolean;
  lastUsedAt: string | null;
  /** How many of the account's backup codes are still unused. */
  backupCodesRemaining: number;
}
