import { Page } from '@strapi/strapi/admin';

import { PERMISSIONS } from '../../../../shared/permissions.js';
import { SettingsPage } from './SettingsPage.js';

/**
 * Settings → Duo Security. Without `plugin::duo-security.settings.read` Strapi 5's Page.Protect shows its "no
 * permissions" page (Strapi 4's CheckPagePermissions redirected home instead).
 */
export default function ProtectedSettingsPage() {
  return (
    <Page.Protect permissions={PERMISSIONS.read}>
      <SettingsPage />
    </Page.Protect>
  );
}
