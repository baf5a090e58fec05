import type { Strapi } from '@strapi/strapi';

import type { IdentityFacts } from './engine/duo-username';
import { query, UIDS } from './engine/db';
import type { EnrollmentRow } from './engine/enrollment-service';

/** The facts the Duo username mapping needs, read from Strapi's own tables (the same on Strapi 4 and 5). */
export function identityFacts(strapi: Strapi): IdentityFacts {
  const db = () => {
    if (strapi.db === undefined) throw new Error('duo-security: the database is not available yet');
    return strapi.db;
  };
  return {
    async clientEmailsConfirmed() {
      if (strapi.store === undefined) throw new Error('duo-security: Strapi core store is not available');
      const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
      const advanced = (await store.get({})) as { email_confirmation?: unknown } | null;
      return advanced?.email_confirmation === true;
    },
    async clientConfirmed(userId) {
      const user = (await db()
        .query('plugin::users-permissions.user')
        .findOne({ where: { id: userId }, select: ['confirmed'] })) as { confirmed?: unknown } | null;
      return user?.confirmed === true;
    },
    async isStaffEmail(email) {
      return (
        (await db()
          .query('admin::user')
          .count({ where: { email: { $eqi: email } } })) > 0
      );
    },
    async enrolledUnder(duoUsername) {
      const row = await query<EnrollmentRow>(strapi, UIDS.enrollment).findOne({
        where: { duoUsername: { $eqi: duoUsername }, status: { $in: ['active', 'pending'] } },
      });
      return row === null ? undefined : { audience: row.audience, userId: row.userId };
    },
  };
}
