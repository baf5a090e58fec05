import { Page } from '@strapi/strapi/admin';

import { PERMISSIONS } from '../../../../shared/permissions.js';
import { UsersPage } from './UsersPage.js';

/** Settings → Duo users; without `plugin::duo-security.users.read` Page.Protect shows "no permissions". */
export default function ProtectedUsersPage() {
  return (
    <Page.Protect permissions={PERMISSIONS.usersRead}>
      <UsersPage />
    </Page.Protect>
  );
}
