import type { Strapi } from '@strapi/strapi';

import type { Audience } from '../settings/types';
import { backupCodeMatches, hashBackupCode, newBackupCode, normaliseBackupCode } from './backup-code-text';
import { query, transaction, UIDS } from './db';

/** How many codes one set has. */
export const BACKUP_CODES_PER_SET = 10;

interface BackupCodeRow {
  readonly id: number;
  readonly audience: Audience;
  readonly userId: number;
  readonly hash: string;
  readonly usedAt: string | null;
  readonly origin: 'set' | 'break-glass';
}

/**
 * Each account's one-time backup codes, for when the phone is lost or Duo cannot be reached. Only hashes are kept;
 * the codes are shown once, when made. Using one is a conditional update (`usedAt` still null), so of two requests
 * racing with the same code (on one instance or two) exactly one wins.
 */
export const backupCodeService = ({ strapi }: { strapi: Strapi }) => {
  const table = () => query<BackupCodeRow>(strapi, UIDS.backupCode);
  const unused = (audience: Audience, userId: number) =>
    table().findMany({ where: { audience, userId, usedAt: { $null: true } } });

  return {
    /** A new set replaces the account's unused codes (a break-glass code stays until used). Returns the codes, once. */
    async issueSet(audience: Audience, userId: number): Promise<string[]> {
      const codes = Array.from({ length: BACKUP_CODES_PER_SET }, newBackupCode);
      const hashes = await Promise.all(codes.map(hashBackupCode));
      await transaction(strapi, async () => {
        await table().deleteMany({ where: { audience, userId, origin: 'set' } });
        for (const hash of hashes) await table().create({ data: { audience, userId, hash, origin: 'set' } });
      });
      return codes;
    },

    /** One extra code from the server's command line (break-glass), beside the account's set. */
    async issueOne(audience: Audience, userId: number): Promise<string> {
      const code = newBackupCode();
      await table().create({ data: { audience, userId, hash: await hashBackupCode(code), origin: 'break-glass' } });
      return code;
    },

    remaining: (audience: Audience, userId: number) =>
      table().count({ where: { audience, userId, usedAt: { $null: true } } }),

    /**
     * Uses the code if it is one of the account's unused ones: `{ remaining }` after it, or undefined. Every unused
     * code is compared (scrypt each), so the time taken does not say which one matched.
     */
    async redeem(audience: Audience, userId: number, typed: string): Promise<{ remaining: number } | undefined> {
      const code = normaliseBackupCode(typed);
      const rows = await unused(audience, userId);
      if (code === undefined) return undefined;
      const checks = await Promise.all(rows.map(async (row) => ({ row, ok: await backupCodeMatches(code, row.hash) })));
      const match = checks.find((c) => c.ok)?.row;
      if (match === undefined) return undefined;
      const { count } = await table().updateMany({
        where: { id: match.id, usedAt: { $null: true } },
        data: { usedAt: new Date().toISOString() },
      });
      if (count !== 1) return undefined;
      return { remaining: rows.length - 1 };
    },

    /** Forgets every code of the account (Duo reset or turned off). */
    async forget(audience: Audience, userId: number): Promise<void> {
      await table().deleteMany({ where: { audience, userId } });
    },
  };
};

export type BackupCodeService = ReturnType<typeof backupCodeService>;
