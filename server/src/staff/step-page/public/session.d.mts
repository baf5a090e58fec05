/** Types of session.mjs, for the unit tests that import it (the page itself is plain JavaScript). */

export declare const STEP_KEY: string;

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Device {
  id: string;
  name: string;
  type: string;
  capabilities: string[];
}

export type Grace = { daysLeft: number; until: string } | { loginsLeft: number };

export type DuoOptions = (
  | { result: 'auth'; devices: Device[]; factors: string[]; verifiedPush: boolean }
  | {
      result: 'enroll';
      enrollPortalUrl?: string;
      activation?: { qrCodeUrl: string; activationUrl: string; activationCode: string; expiresAt: string | null };
    }
) & { grace?: Grace; backupCodes?: boolean };

export interface Step {
  step: { id: string; expiresAt: string | null };
  duo: DuoOptions;
  rememberMe: boolean;
  redirectTo: string | null;
  logo: string | null;
}

export declare function safeHttpUrl(value: unknown): string | null;
export declare function readDuoOptions(value: unknown): DuoOptions | null;
export declare function readStep(storage: StorageLike): Step | null;
export declare function clearStep(storage: StorageLike): void;
export declare function storeAdminSession(
  session: { token: string; user: unknown; rememberMe: boolean },
  storages: { local: StorageLike; session: StorageLike },
  strapiMajor?: 4 | 5,
): void;
export declare function targetAfterSignIn(adminPath: string, redirectTo: unknown, origin: string): string;
export declare function signInUrl(adminPath: string, redirectTo: unknown, origin: string): string;
export declare function logoSource(logo: unknown, origin: string, fallback: string): string;
