export interface AdminBuildResult {
  built: boolean;
  reason: string;
  ms: number;
}

export const PLAYGROUND_DIR: string;
export function staleReason(): string | null;
export function ensureAdminBuild(options?: {
  force?: boolean;
  stdio?: 'inherit' | 'ignore';
}): Promise<AdminBuildResult>;
