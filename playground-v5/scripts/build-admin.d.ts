import type { AdminBuildResult } from '../../playground/scripts/build-admin';

export const APP_DIR: string;
export function buildAdmin(): Promise<void>;
export function staleReason(): string | null;
export function ensureAdminBuild(options?: {
  force?: boolean;
  stdio?: 'inherit' | 'ignore';
}): Promise<AdminBuildResult>;
