import type { StepExchange } from '../hosts/contract';

/** The parts of a Koa context a host adapter may use while it answers. */
export interface ExchangeCtx {
  request: { ip?: string; secure?: boolean; header?: Record<string, unknown> };
  cookies?: { set(name: string, value: string, options?: Record<string, unknown>): unknown };
  set?(name: string, value: string): void;
}

/** The request that finishes a step, as the engine hands it to the host adapter. */
export function stepExchange(ctx: ExchangeCtx): StepExchange {
  const userAgent = ctx.request.header?.['user-agent'];
  return {
    ip: ctx.request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    secure: ctx.request.secure,
    setCookie(name, value, options) {
      if (ctx.cookies === undefined) throw new Error('duo-security: this request cannot set cookies');
      ctx.cookies.set(name, value, options);
    },
    setHeader(name, value) {
      ctx.set?.(name, value);
    },
  };
}
