/** GET /duo-security/audit and /duo-security/audit/export (permission audit.read). */

import type { Pagination, UserAudience } from './users.ts';

export const AUDIT_PATH = '/duo-security/audit';
export const AUDIT_EXPORT_PATH = '/duo-security/audit/export';

/** An audit event's name, e.g. `step.allowed`; the server lists them all with every page (`meta.events`). */
export type AuditEventName = string;

const EVENT_NAME = /^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/;

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
  /** `events`: every event the plugin records, for the event filter (the server's list is the only one). */
  meta: { pagination: Pagination; events: AuditEventName[] };
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
    event: EVENT_NAME.test(event) ? event : '',
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
