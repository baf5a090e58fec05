import { useFetchClient } from '@strapi/helper-plugin';
import { useMutation, useQuery, useQueryClient } from 'react-query';

import {
  CHECK_PATH,
  SETTINGS_PATH,
  type ConnectionCheckRequest,
  type ConnectionResult,
  type Envelope,
  type SettingsResponse,
  type SettingsUpdate,
} from '../../shared/api/types';
import { pluginId } from '../../shared/pluginId';

export const SETTINGS_QUERY_KEY = [pluginId, 'settings'] as const;

/** GET /duo-security/settings. Not refetched on window focus: that would look like the form reloading under you. */
export function useSettings() {
  const { get } = useFetchClient();
  return useQuery(
    SETTINGS_QUERY_KEY,
    async (): Promise<SettingsResponse> => {
      const { data } = await get<Envelope<SettingsResponse>>(SETTINGS_PATH);
      return data.data;
    },
    { refetchOnWindowFocus: false },
  );
}

/**
 * PUT /duo-security/settings. On success the answer replaces the cached settings at once (so the form can be
 * reset from it) and the query is invalidated; errors are left to the caller, which knows the form.
 */
export function useSaveSettings() {
  const { put } = useFetchClient();
  const queryClient = useQueryClient();
  return useMutation(
    async (update: SettingsUpdate): Promise<SettingsResponse> => {
      const { data } = await put<Envelope<SettingsResponse>>(SETTINGS_PATH, update);
      return data.data;
    },
    {
      async onSuccess(saved) {
        queryClient.setQueryData(SETTINGS_QUERY_KEY, saved);
        await queryClient.invalidateQueries(SETTINGS_QUERY_KEY);
      },
    },
  );
}

/** POST /duo-security/settings/check with the unsaved keys; saves nothing. */
export function useCheckConnection() {
  const { post } = useFetchClient();
  return useMutation(async (request: ConnectionCheckRequest): Promise<ConnectionResult> => {
    const { data } = await post<Envelope<ConnectionResult>>(CHECK_PATH, request);
    return data.data;
  });
}
