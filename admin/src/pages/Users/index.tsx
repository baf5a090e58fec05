import { CheckPagePermissions } from '@strapi/helper-plugin';

import { PERMISSIONS } from '../../../shared/permissions';
import { UsersPage } from './UsersPage';

/** Settings → Duo users; without `plugin::duo-security.users.read` the admin shows its "no permissions" page. */
export default function ProtectedUsersPage() {
  return (
    <CheckPagePermissions permissions={PERMISSIONS.usersRead}>
      <UsersPage />
    </CheckPagePermissions>
  );
}
