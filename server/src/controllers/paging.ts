import { yup } from '../utils/strapi-utils';

/**
 * `page` and `pageSize` of a list's query string, as strings (a query string has nothing else): one to 999,999, and
 * one to 100. The lists that page (Duo users, the audit log) say the same thing about them.
 */
export const PAGING_FIELDS = {
  page: yup
    .string()
    .typeError('page must be a whole number from 1')
    .matches(/^[1-9][0-9]{0,5}$/, 'page must be a whole number from 1'),
  pageSize: yup
    .string()
    .typeError('pageSize must be a whole number from 1 to 100')
    .matches(/^([1-9][0-9]?|100)$/, 'pageSize must be a whole number from 1 to 100'),
};

/** The page and page size asked for, with the list's own default size. */
export function paging(raw: { page?: string; pageSize?: string }, defaultSize: number) {
  return {
    page: raw.page === undefined ? 1 : Number(raw.page),
    pageSize: raw.pageSize === undefined ? defaultSize : Number(raw.pageSize),
  };
}
