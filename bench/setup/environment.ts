import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makeCertificates, type BenchCertificates } from '../lib/certs';
import { enableDuo, plainLogin } from '../lib/flows';
import { AppClient, at } from '../lib/http';
import type { DuoSideInfo, DuoSideStats } from '../child/duo-side';
import { BENCH_DIR, REPO_ROOT, freePort, readyMessage, spawnChild, type Child } from './children';
import { seedApp, usersOf, type SeedPlan, type SeededUsers } from './seed';

/** A Duo hostname the production policy accepts; the sandbox holds a certificate for it from the run's own CA. */
export const DUO_HOSTNAME = 'api-bench0000.duosecurity.com';
export const RESULTS_DIR = join(REPO_ROOT, 'bench-results');

/** The Strapi apps the bench runs: `v4` is playground/ (Strapi 4.26), `v5` playground-v5/ (Strapi 5.54). */
export type BenchHost = 'v4' | 'v5';
export const BENCH_HOSTS: readonly BenchHost[] = ['v4', 'v5'];

export interface StrapiApp {
  readonly label: 'active' | 'absent';
  readonly child: Child;
  readonly baseUrl: string;
  /** One kept-alive connection: sequential timing. */
  readonly client: AppClient;
  readonly adminToken: string;
  readonly editorToken: string;
}

export interface ChildStats {
  readonly pid: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number; samples: number };
}

export interface DuoSide {
  readonly child: Child;
  readonly info: DuoSideInfo;
  stats(which?: 'tls' | 'http'): Promise<DuoSideStats>;
  resetStats(which?: 'tls' | 'http'): Promise<void>;
}

export interface Environment {
  readonly host: BenchHost;
  readonly active: StrapiApp;
  readonly absent: StrapiApp;
  readonly duo: DuoSide;
  readonly certs: BenchCertificates;
  readonly users: SeededUsers;
  /** What Duo knows a client as, by e-mail (the plugin maps clients by id). */
  duoUsername(email: string): string;
  /** Duo-claimed client tokens (active app), one per fast Duo user. */
  readonly claimedTokens: string[];
  /** Tokens of a client who needs no Duo, per app. */
  readonly plainTokens: { readonly active: string; readonly absent: string };
  readonly cpuProfileDir: string | undefined;
  /** Where both apps' SQLite files are (their disk, or BENCH_DB_DIR). */
  readonly dbDir: string;
  close(): Promise<void>;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

/**
 * The playground loads the plugin from dist/ and serves the built admin in production; playground-v5 loads a copy
 * of dist/ (scripts/link-playground-v5.js) and is run without its admin panel: make sure each is there and fresh.
 */
export function ensureBuilds(hosts: readonly BenchHost[], log: (line: string) => void): void {
  const distEntry = join(REPO_ROOT, 'dist', 'server', 'index.js');
  if (!existsSync(distEntry) || newestMtime(join(REPO_ROOT, 'server', 'src')) > statSync(distEntry).mtimeMs) {
    log('dist/ is missing or older than server/src: npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const v5Entry = join(REPO_ROOT, 'playground-v5', 'src', 'plugins', 'duo-security', 'dist', 'server', 'index.js');
  if (hosts.includes('v5') && (!existsSync(v5Entry) || statSync(distEntry).mtimeMs > statSync(v5Entry).mtimeMs)) {
    log("playground-v5's copy of the plugin is missing or older than dist/: scripts/link-playground-v5.js");
    execFileSync('node', [join(REPO_ROOT, 'scripts', 'link-playground-v5.js')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  if (hosts.includes('v4') && !existsSync(join(REPO_ROOT, 'playground', 'build', 'index.html'))) {
    log('no playground admin build: npm run build:playground (a few minutes)');
    const built = spawnSync('npm', ['run', 'build:playground'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (built.status !== 0) throw new Error('npm run build:playground failed');
  }
}

const secret = (): string => randomBytes(24).toString('base64url');

async function startStrapi(
  host: BenchHost,
  label: 'active' | 'absent',
  dir: string,
  extraEnv: Record<string, string>,
  cpuProfileDir: string | undefined,
): Promise<{ child: Child; baseUrl: string }> {
  const port = await freePort();
  const execArgv = ['--expose-gc', '--require', join(BENCH_DIR, 'child', 'monitor.cjs')];
  if (cpuProfileDir !== undefined)
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${cpuProfileDir}`,
      `--cpu-prof-name=strapi-${host}-${label}.cpuprofile`,
    );
  const child = await spawnChild({
    name: `strapi-${host}-${label}`,
    script: join(BENCH_DIR, 'child', 'strapi.cjs'),
    execArgv,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      NODE_ENV: 'production',
      BENCH_HOST: host,
      HOST: '127.0.0.1',
      PORT: String(port),
      // BENCH_DB_DIR=/dev/shm puts the SQLite files in memory: how much of a figure is the disk's fsync.
      DATABASE_FILENAME: join(process.env.BENCH_DB_DIR ?? dir, `${host}-${label}-${process.pid}.db`),
      DUO_PLUGIN_ENABLED: label === 'active' ? 'true' : 'false',
      // What a production deployment sets itself; fresh per run.
      APP_KEYS: `${secret()},${secret()}`,
      ADMIN_JWT_SECRET: secret(),
      JWT_SECRET: secret(),
      API_TOKEN_SALT: secret(),
      TRANSFER_TOKEN_SALT: secret(),
      DUO_SECURITY_ENCRYPTION_KEY: secret(),
      // The bench logs in thousands of times from one address: Strapi's login rate limits would refuse it (both apps).
      ADMIN_RATE_LIMIT: 'false',
      UP_RATE_LIMIT: 'false',
      // No per-request log line in either app: a fixed cost that would only dilute the ratios.
      STRAPI_LOG_LEVEL: 'warn',
      STRAPI_TELEMETRY_DISABLED: 'true',
      STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
      ...extraEnv,
    },
    logFile: join(RESULTS_DIR, `strapi-${host}-${label}.log`),
    ready: (proc) => readyMessage(proc),
    readyTimeoutMs: 180_000,
  });
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

export async function startEnvironment(
  host: BenchHost,
  plan: SeedPlan,
  log: (line: string) => void,
): Promise<Environment> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'duo-bench-'));
  const cpuProfileDir = process.env.BENCH_CPU_PROF === '1' ? join(RESULTS_DIR, 'profiles') : undefined;
  if (cpuProfileDir !== undefined) mkdirSync(cpuProfileDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    const dbDir = process.env.BENCH_DB_DIR;
    if (dbDir !== undefined) {
      for (const label of ['active', 'absent']) {
        for (const suffix of ['', '-journal'])
          rmSync(join(dbDir, `${host}-${label}-${process.pid}.db${suffix}`), { force: true });
      }
    }
  };
  try {
    const certs = makeCertificates(dir, DUO_HOSTNAME);
    const duoChild = await spawnChild({
      name: 'duo-side',
      script: join(BENCH_DIR, 'child', 'duo-side.ts'),
      execArgv: ['--import', 'tsx'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        BENCH_DUO_HOSTNAME: DUO_HOSTNAME,
        BENCH_TLS_KEY: certs.key,
        BENCH_TLS_CERT: certs.cert,
      },
      logFile: join(RESULTS_DIR, 'duo-side.log'),
      ready: (_proc, ipc) => ipc.request<DuoSideInfo>('info').then(() => undefined),
      readyTimeoutMs: 60_000,
    });
    stops.push(() => duoChild.ipc.request('close').then(() => duoChild.stop()));
    const info = await duoChild.ipc.request<DuoSideInfo>('info');
    const duo: DuoSide = {
      child: duoChild,
      info,
      stats: (which = 'tls') => duoChild.ipc.request<DuoSideStats>('stats', which),
      resetStats: (which = 'tls') => duoChild.ipc.request<null>('resetStats', which).then(() => undefined),
    };

    log(`starting both Strapi apps of ${host} (NODE_ENV=production)`);
    const duoEnv = { DUO_SECURITY_CA_FILE: certs.caFile, DUO_SECURITY_PROXY: info.proxyUrl };
    const [a, b] = await Promise.all([
      startStrapi(host, 'active', dir, duoEnv, cpuProfileDir),
      startStrapi(host, 'absent', dir, duoEnv, cpuProfileDir),
    ]);
    stops.push(
      () => a.child.stop(),
      () => b.child.stop(),
    );
    const clientA = new AppClient(a.baseUrl);
    const clientB = new AppClient(b.baseUrl);
    stops.push(
      () => clientA.close(),
      () => clientB.close(),
    );

    log('seeding both apps with the same data');
    const users = usersOf(plan);
    const [seededA, seededB] = await Promise.all([seedApp(clientA, users), seedApp(clientB, users)]);
    const tokenA = seededA.adminToken;
    const app = (child: { child: Child; baseUrl: string }, label: StrapiApp['label'], client: AppClient) => ({
      label,
      child: child.child,
      baseUrl: child.baseUrl,
      client,
    });
    const duoName = (email: string): string => {
      const name = seededA.duoUsernames.get(email);
      if (name === undefined) throw new Error(`no Duo username for ${email}`);
      return name;
    };

    log('activating Duo (staff and clients enabled, optional enforcement) in the plugin app');
    await clientA.expect('/duo-security/settings', 200, {
      method: 'PUT',
      token: tokenA,
      body: {
        activated: true,
        integrationKey: info.ikey,
        secretKey: info.skey,
        apiHostname: DUO_HOSTNAME,
        staff: { enabled: true },
        clients: { enabled: true },
      },
    });
    const settings = await clientA.expect('/duo-security/settings', 200, { token: tokenA });
    if (at(settings, 'data', 'settings', 'activated') !== true && at(settings, 'settings', 'activated') !== true) {
      throw new Error('Duo did not activate');
    }
    await duoChild.ipc.request('addUsers', [
      ...users.duoFast.map((u) => ({ username: duoName(u.email), pushResponse: 'approve', pushDelayMs: 0 })),
      ...users.duoWait.map((u) => ({ username: duoName(u.email), pushResponse: 'approve', pushDelayMs: 0 })),
    ]);
    const claimedTokens: string[] = [];
    for (const user of [...users.duoFast, ...users.duoWait]) {
      const token = await enableDuo(clientA, await plainLogin(clientA, user));
      if (users.duoFast.includes(user)) claimedTokens.push(token);
    }
    const plainUser = users.plain[0];
    if (plainUser === undefined) throw new Error('the plan needs a plain client');
    const plainTokens = { active: await plainLogin(clientA, plainUser), absent: await plainLogin(clientB, plainUser) };

    return {
      host,
      duoUsername: duoName,
      active: { ...app(a, 'active', clientA), adminToken: tokenA, editorToken: seededA.editorToken },
      absent: { ...app(b, 'absent', clientB), adminToken: seededB.adminToken, editorToken: seededB.editorToken },
      duo,
      certs,
      users,
      claimedTokens,
      plainTokens,
      cpuProfileDir,
      dbDir: process.env.BENCH_DB_DIR ?? dir,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export function childStats(app: StrapiApp): Promise<ChildStats> {
  return app.child.ipc.request<ChildStats>('stats');
}
