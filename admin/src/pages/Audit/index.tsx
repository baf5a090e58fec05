import { CheckPagePermissions } from '@strapi/helper-plugin';

import { PERMISSIONS } from '../../../shared/permissions';
import { AuditPage } from './AuditPage';

/** Settings → Duo audit log; without `plugin::duo-security.audit.read` the admin shows its "no permissions" page. */
export default function ProtectedAuditPage() {
  return (
    <CheckPagePermissions permissions={PERMISSIONS.auditRead}>
      <AuditPage />
    </CheckPagePermissions>
  );
}
