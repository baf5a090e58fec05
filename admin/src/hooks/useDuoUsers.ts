import { useFetchClient } from '@strapi/helper-plugin';
import { useMutation, useQuery, useQueryClient } from 'react-query';

import type { Envelope } from '../../shared/api/types';
import {
  RESET_PATH,
  USERS_PATH,
  type DuoUser,
  type UserAudience,
  type UserList,
  type UserListQuery,
} from '../../shared/api/users';
import { pluginId } from '../../shared/pluginId';

const USERS_QUERY_KEY = [pluginId, 'users'] as const;

/** GET /duo-security/users: one page of administrators or clients with their Duo status. */
export function useDuoUsers(query: UserListQuery) {
  const { get } = useFetchClient();
  return useQuery(
    [...USERS_QUERY_KEY, query],
    async (): Promise<UserList> => {
      const { data } = await get<UserList>(USERS_PATH, {
        params: {
          audience: query.audience,
          page: String(query.page),
          pageSize: String(query.pageSize),
          // The admin's fetch client does not encode parameters (qs with encode: false): do it here.
          ...(query.search === '' ? {} : { search: encodeURIComponent(query.search) }),
        },
      });
      return data;
    },
    { keepPreviousData: true },
  );
}

/** POST /duo-security/users/reset: the user enrols again (when enforcement requires Duo); the list is refreshed. */
export function useResetDuo() {
  const { post } = useFetchClient();
  const queryClient = useQueryClient();
  return useMutation(
    async (target: { audience: UserAudience; userId: number }): Promise<DuoUser> => {
      const { data } = await post<Envelope<DuoUser>>(RESET_PATH, target);
      return data.data;
    },
    {
      async onSuccess() {
        await queryClient.invalidateQueries(USERS_QUERY_KEY);
      },
    },
  );
}
