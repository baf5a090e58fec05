import { compare, interleave, type Comparison, type InterleaveOptions } from '../lib/interleave';
import type { HttpCall, AppClient } from '../lib/http';
import { ms, ratio, verdict, type Row } from '../lib/report';
import type { Environment } from '../setup/environment';

/** Requests that are not logins, plugin active vs absent (measurement 1). */
export interface RequestKind {
  readonly id: string;
  readonly what: string;
  readonly path: string;
  readonly target: number;
  readonly active: HttpCall;
  readonly absent: HttpCall;
}

const ARTICLES = '/api/articles?pagination[pageSize]=10';

export function requestKinds(env: Environment): RequestKind[] {
  const claimed = env.claimedTokens[0];
  if (claimed === undefined) throw new Error('no Duo-claimed token');
  return [
    { id: '1a', what: 'public content-API GET', path: ARTICLES, target: 1.03, active: {}, absent: {} },
    {
      id: '1b',
      what: 'authenticated content-API GET (client without Duo)',
      path: ARTICLES,
      target: 1.03,
      active: { token: env.plainTokens.active },
      absent: { token: env.plainTokens.absent },
    },
    {
      id: '1c',
      what: 'authenticated content-API GET (Duo-claimed token vs plain token)',
      path: ARTICLES,
      target: 1.05,
      active: { token: claimed },
      absent: { token: env.plainTokens.absent },
    },
    {
      id: '1d',
      what: 'authenticated admin GET (/admin/users/me)',
      path: '/admin/users/me',
      target: 1.03,
      active: { token: env.active.adminToken },
      absent: { token: env.absent.adminToken },
    },
    {
      // The same request by an administrator whose role holds none of the plugin's RBAC permissions: Strapi rebuilds
      // every permission of the caller's roles into an ability on each admin request, so 1d − 1e is what the
      // plugin's five actions cost the Super Admin, and 1e what the plugin's code costs any admin request.
      id: '1e',
      what: 'authenticated admin GET (/admin/users/me) by an Editor',
      path: '/admin/users/me',
      target: 1.03,
      active: { token: env.active.editorToken },
      absent: { token: env.absent.editorToken },
    },
  ];
}

const get = (client: AppClient, path: string, call: HttpCall) => async () => {
  const reply = await client.call(path, call);
  if (reply.status !== 200) throw new Error(`GET ${path}: HTTP ${reply.status}`);
};

export async function measureRequests(
  env: Environment,
  options: InterleaveOptions,
): Promise<{ rows: Row[]; data: Record<string, Comparison> }> {
  const rows: Row[] = [];
  const data: Record<string, Comparison> = {};
  for (const kind of requestKinds(env)) {
    const result = await interleave(
      {
        active: get(env.active.client, kind.path, kind.active),
        absent: get(env.absent.client, kind.path, kind.absent),
      },
      options,
    );
    const c = compare(result.active!, result.absent!);
    data[kind.id] = c;
    rows.push({
      id: kind.id,
      what: kind.what,
      a: `${ms(c.a.median)} (p99 ${ms(c.a.p99)})`,
      b: `${ms(c.b.median)} (p99 ${ms(c.b.p99)})`,
      value: `${ratio(c.ratioOfMedians)} (p99 ${ratio(c.ratioOfP99s)}, paired ${ratio(c.pairedRatio)})`,
      target: `≤ ${kind.target.toFixed(2)}`,
      verdict: verdict(c.ratioOfMedians <= kind.target),
      figure: { value: c.ratioOfMedians, unit: 'ratio', max: kind.target },
    });
  }
  return { rows, data };
}
