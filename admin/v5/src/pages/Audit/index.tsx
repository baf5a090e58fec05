import { Page } from '@strapi/strapi/admin';

import { PERMISSIONS } from '../../../../shared/permissions.js';
import { AuditPage } from './AuditPage.js';

/** Settings → Duo audit log; without `plugin::duo-security.audit.read` Page.Protect shows "no permissions". */
export default function ProtectedAuditPage() {
  return (
    <Page.Protect permissions={PERMISSIONS.auditRead}>
      <AuditPage />
    </Page.Protect>
  );
}
