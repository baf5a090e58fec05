/** GET /duo-security/audit and /duo-security/audit/export (permission audit.read). */

import type { Pagination, UserAudience } from './users.ts';

export const AUDIT_PATH = '/duo-security/audit';
export const AUDIT_EXPORT_PATH = '/duo-security/audit/export';

/** The events the plugin records (server/src/engine/audit-service.ts), in the order the filter lists them. */
export const AUDIT_EVENTS = [
  'step.started',
  'step.allowed',
  'step.denied',
  'step.expired',
  'step.cancelled',
  'passcode.failed',
  'passcode.locked',
  'login.bypass',
  'login.fail-open',
  'login.fail-closed',
  'login.recovery',
  'enroll.started',
  'enroll.enabled',
  'enroll.disabled',
  'enroll.reset',
] as const;

export type AuditEventName = (typeof AUDIT_EVENTS)[number];

export interface AuditEntry {
  id: number;
  createdAt: string;
  audience: UserAudience;
  event: string;
  outcome: string | null;
  userId: number | null;
  /** Who the entry is about, as they are now; null once the account is gone. */
  user: { email: string | null; username: string | null } | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  data: AuditEntry[];
  meta: { pagination: Pagination };
}

export interface AuditFilter {
  audience: UserAudience | '';
  event: AuditEventName | '';
  user: string;
  /** YYYY-MM-DD, inclusive; '' for no bound. */
  from: string;
  to: string;
}

export const NO_FILTER: AuditFilter = { audience: '', event: '', user: '', from: '', to: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filter as query parameters, without the empty ones (the admin's fetch clients do not encode: done here). */
export function auditParams(filter: AuditFilter): Record<string, string> {
  const params: Record<string, string> = {};
  if (filter.audience !== '') params.audience = filter.audience;
  if (filter.event !== '') params.event = filter.event;
  if (filter.user.trim() !== '') params.user = encodeURIComponent(filter.user.trim());
  if (DAY.test(filter.from)) params.from = filter.from;
  if (DAY.test(filter.to)) params.to = filter.to;
  return params;
}

/** The filter read back from the page's URL query (anything malformed is dropped). */
export function auditFilterOf(query: Record<string, unknown>): AuditFilter {
  const text = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : '');
  const audience = text('audience');
  const event = text('event');
  return {
    audience: audience === 'staff' || audience === 'clients' ? audience : '',
    event: (AUDIT_EVENTS as readonly string[]).includes(event) ? (event as AuditEventName) : '',
    user: decodeSafely(text('user')),
    from: DAY.test(text('from')) ? text('from') : '',
    to: DAY.test(text('to')) ? text('to') : '',
  };
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Who an entry is about, for people: the e-mail address, else the username, else the id. */
export function auditWho(entry: AuditEntry): string {
  return entry.user?.email ?? entry.user?.username ?? (entry.userId === null ? '—' : `#${entry.userId}`);
}
