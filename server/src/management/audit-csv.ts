import type { AuditLogRow } from './audit-log';

const COLUMNS = ['id', 'createdAt', 'audience', 'event', 'outcome', 'userId', 'email', 'username', 'ip', 'detail'];

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
 * carriage return) gets a leading apostrophe: user names, e-mail addresses and Duo's words are data, not formulas.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The audit entries as CSV: a header line, then one line per entry (CRLF, as RFC 4180 says). */
export function auditCsv(rows: readonly AuditLogRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.id,
        row.createdAt,
        row.audience,
        row.event,
        row.outcome,
        row.userId,
        row.user?.email ?? null,
        row.user?.username ?? null,
        row.ip,
        row.detail,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
