import { useFetchClient } from '@strapi/helper-plugin';
import { useMutation, useQuery } from 'react-query';

import { readStart, type StepResult, type StepStart, type UniversalStart } from '../../shared/api/step';
import type { Envelope } from '../../shared/api/types';
import { ACCOUNT_PATH, type AccountStatus } from '../../shared/api/users';
import { pluginId } from '../../shared/pluginId';

export const ACCOUNT_QUERY_KEY = [pluginId, 'me'] as const;

/** GET /duo-security/me: is Duo offered, on, required for the signed-in administrator. */
export function useAccountStatus() {
  const { get } = useFetchClient();
  return useQuery(ACCOUNT_QUERY_KEY, async (): Promise<AccountStatus> => {
    const { data } = await get<Envelope<AccountStatus>>(ACCOUNT_PATH);
    return data.data;
  });
}

/**
 * POST /duo-security/me/enable, /me/disable or /me/backup-codes: a Duo step to drive, or (a Duo bypass user) the
 * result at once.
 */
export function useStartStep() {
  const { post } = useFetchClient();
  return useMutation(
    async (purpose: 'enable' | 'disable' | 'backup-codes'): Promise<StepStart | UniversalStart | StepResult> => {
      const { data } = await post<{ data?: unknown }>(`${ACCOUNT_PATH}/${purpose}`, {});
      const start = readStart(data.data);
      if (start === undefined) throw new Error('The server gave an answer this page does not understand.');
      return start;
    },
  );
}
