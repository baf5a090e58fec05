import { useFetchClient } from '@strapi/helper-plugin';
import { useQuery } from 'react-query';

import { AUDIT_EXPORT_PATH, AUDIT_PATH, auditParams, type AuditFilter, type AuditPage } from '../../shared/api/audit';
import { pluginId } from '../../shared/pluginId';

/** GET /duo-security/audit: one page of entries, newest first. */
export function useAuditLog(filter: AuditFilter, page: number, pageSize: number) {
  const { get } = useFetchClient();
  return useQuery(
    [pluginId, 'audit', filter, page, pageSize],
    async (): Promise<AuditPage> => {
      const { data } = await get<AuditPage>(AUDIT_PATH, {
        params: { ...auditParams(filter), page: String(page), pageSize: String(pageSize) },
      });
      return data;
    },
    { keepPreviousData: true },
  );
}

/** GET /duo-security/audit/export as a file the browser saves (the request carries the admin's token). */
export function useAuditExport() {
  const { get } = useFetchClient();
  return async (filter: AuditFilter): Promise<{ truncated: boolean }> => {
    const response = await get<Blob>(AUDIT_EXPORT_PATH, { params: auditParams(filter), responseType: 'blob' });
    const headers = response.headers as Record<string, string | undefined>;
    const name = /filename="([^"]+)"/.exec(headers['content-disposition'] ?? '')?.[1] ?? 'duo-audit.csv';
    const url = URL.createObjectURL(response.data);
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
    return { truncated: headers['x-duo-audit-truncated'] === 'true' };
  };
}
