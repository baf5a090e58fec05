import { CheckPagePermissions } from '@strapi/helper-plugin';

import { PERMISSIONS } from '../../../shared/permissions';
import { SettingsPage } from './SettingsPage';

/** Settings → Duo Security; without `plugin::duo-security.settings.read` the admin shows its "no permissions" page. */
export default function ProtectedSettingsPage() {
  return (
    <CheckPagePermissions permissions={PERMISSIONS.read}>
      <SettingsPage />
    </CheckPagePermissions>
  );
}
