import type { Strapi } from '@strapi/strapi';

import { AUDIT_EVENTS, type AuditEvent } from '../engine/audit-service';
import { auditCsv } from '../management/audit-csv';
import type { AuditQuery } from '../management/audit-log';
import type { Audience } from '../settings/types';
import { errors, yup } from '../utils/strapi-utils';
import { validateBody } from '../utils/validate-body';
import { pluginService } from '../plugin-services';
import { paging, PAGING_FIELDS } from './paging';

export interface AuditCtx {
  request: { query?: unknown };
  body: unknown;
  type: string;
  set(name: string, value: string): void;
}

/** The most rows one export holds; a narrower filter gets the rest (the answer says when it was cut). */
export const EXPORT_LIMIT = 10_000;

/** Date.parse rolls 2026-02-30 over into March: the day must exist as written. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(value))
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const date = (name: string) =>
  yup
    .string()
    .typeError(`${name} must be a date (YYYY-MM-DD or an ISO 8601 time)`)
    .matches(DATE, `${name} must be a date (YYYY-MM-DD or an ISO 8601 time)`)
    .test('real-date', `${name} must be a date (YYYY-MM-DD or an ISO 8601 time)`, (value) =>
      value === undefined ? true : isCalendarDate(value),
    );

/** Query strings arrive as strings (arrays and objects, from repeated or bracketed keys, are refused). */
const FILTER_SHAPE = { audience: true, event: true, user: true, userId: true, from: true, to: true } as const;
const filterFields = {
  audience: yup
    .string()
    .typeError('audience must be "staff" or "clients"')
    .oneOf(['staff', 'clients'], 'audience must be "staff" or "clients"'),
  event: yup
    .string()
    .typeError('event must be one of the audit events')
    .oneOf([...AUDIT_EVENTS], 'event must be one of the audit events'),
  user: yup.string().typeError('user must be a single string').max(100, 'user is at most 100 characters'),
  userId: yup
    .string()
    .typeError('userId must be a user id (a whole number)')
    .matches(/^[1-9][0-9]{0,14}$/, 'userId must be a user id (a whole number)'),
  from: date('from'),
  to: date('to'),
};
const PAGE_SHAPE = { ...FILTER_SHAPE, page: true, pageSize: true } as const;
const pageSchema = yup
  .object({
    ...filterFields,
    ...PAGING_FIELDS,
  })
  .noUnknown()
  .strict();
const filterSchema = yup.object(filterFields).noUnknown().strict();

type RawQuery = Partial<Record<keyof typeof PAGE_SHAPE, string>>;

/** A date-only `to` means the whole of that day (UTC). */
function bounds(raw: RawQuery): Pick<AuditQuery, 'from' | 'to'> {
  const from = raw.from === undefined ? undefined : new Date(raw.from);
  let to = raw.to === undefined ? undefined : new Date(raw.to);
  if (to !== undefined && raw.to?.length === 10) to = new Date(to.getTime() + 24 * 60 * 60 * 1000 - 1);
  if (from !== undefined && to !== undefined && from > to) {
    throw new errors.ValidationError('from must not be after to', {
      errors: [{ path: ['from'], message: 'from must not be after to', name: 'ValidationError' }],
    });
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

function filterOf(raw: RawQuery): Omit<AuditQuery, 'page' | 'pageSize'> {
  return {
    ...(raw.audience === undefined ? {} : { audience: raw.audience as Audience }),
    ...(raw.event === undefined ? {} : { event: raw.event as AuditEvent }),
    ...(raw.user === undefined ? {} : { user: raw.user }),
    ...(raw.userId === undefined ? {} : { userId: Number(raw.userId) }),
    ...bounds(raw),
  };
}

/** The audit log (RBAC `audit.read`, enforced by the routes' policies): a page of entries, or all of them as CSV. */
export const audit = ({ strapi }: { strapi: Strapi }) => {
  const log = () => pluginService(strapi, 'auditLog');

  return {
    async list(ctx: AuditCtx): Promise<void> {
      const raw = await validateBody<RawQuery>(ctx.request.query, PAGE_SHAPE, pageSchema);
      ctx.body = await log().list({
        ...filterOf(raw),
        ...paging(raw, 25),
      });
    },

    async exportCsv(ctx: AuditCtx): Promise<void> {
      const raw = await validateBody<RawQuery>(ctx.request.query, FILTER_SHAPE, filterSchema);
      const { rows, truncated } = await log().all(filterOf(raw), EXPORT_LIMIT);
      const day = new Date().toISOString().slice(0, 10);
      ctx.set('Content-Disposition', `attachment; filename="duo-audit-${day}.csv"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      // Said in a header, so the file itself stays plain CSV.
      ctx.set('X-Duo-Audit-Truncated', truncated ? 'true' : 'false');
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = auditCsv(rows);
    },
  };
};
