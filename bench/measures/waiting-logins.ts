import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { awaitStep, duoPasswordStep, plainLogin, startPush } from '../lib/flows';
import { AppClient, stringAt } from '../lib/http';
import { kb, ms, verdict, type Row } from '../lib/report';
import { quantile } from '../lib/stats';
import { childStats, type ChildStats, type Environment } from '../setup/environment';

const TARGET_BYTES = 50 * 1024;
const TARGET_DELAY_MS = 20;

export interface WaitingData {
  readonly logins: number;
  readonly rampMs: number;
  readonly before: ChildStats;
  readonly waiting: ChildStats;
  readonly heapPerLogin: number;
  readonly rssPerLogin: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly probe: { readonly duoPasswordStepMs: number; readonly duoPasswordStepOk: boolean; readonly error?: string };
  readonly probePlainLoginMs: number;
  readonly approveToAllDoneMs: number;
  readonly failures: number;
  /**
   * Per login, p50 and p99: the password step (bcrypt inside, 16 at once), then the Duo step's own requests apart
   * from it: the push request, and from the approval of all pushes to each login's token.
   */
  readonly latencyMs: {
    readonly passwordStep: Percentiles;
    readonly push: Percentiles;
    readonly approvalToToken: Percentiles;
  };
}

interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

const percentiles = (samples: readonly number[]): Percentiles => ({
  p50: quantile(samples, 0.5),
  p99: quantile(samples, 0.99),
});

const pair = (p: Percentiles): string => `${ms(p.p50)} / ${ms(p.p99)}`;

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * `logins` Duo logins of clients waiting on a push at once, on the plugin app (measurement 6): memory per waiting
 * login (after a full GC, before vs during) and the event-loop delay inside Strapi while they wait.
 */
export async function measureWaitingLogins(
  env: Environment,
  logins: number,
  windowMs: number,
): Promise<{ rows: Row[]; data: WaitingData }> {
  const users = env.users.duoWait;
  await env.duo.child.ipc.request('setPushResponse', {
    usernames: users.map((u) => env.duoUsername(u.email)),
    pushResponse: 'manual',
  });
  const http = new AppClient(env.active.baseUrl, logins + 16);
  const probeClient = new AppClient(env.active.baseUrl);
  try {
    await env.active.child.ipc.request('gc');
    const before = await childStats(env.active);
    let pushed = 0;
    let done = 0;
    let failures = 0;
    let firstError: string | undefined;
    const passwordStepMs: number[] = [];
    const pushMs: number[] = [];
    const tokenAt: number[] = [];
    // The password steps run 16 at a time (bcrypt is their cost), all of them first; then the pushes, 16 at a time,
    // with no password hashing left to wait behind: the push's latency is the Duo step's own under this load. Once
    // pushed, every login long-polls on its own.
    const started = performance.now();
    const stepIds: string[] = [];
    const finished: Array<Promise<void>> = [];
    const sixteen = async (count: number, work: (i: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < count) {
            const i = next;
            next += 1;
            await work(i);
          }
        }),
      );
    };
    await sixteen(logins, async (i) => {
      const t0 = performance.now();
      stepIds[i] = await duoPasswordStep(http, users[i % users.length]!);
      passwordStepMs.push(performance.now() - t0);
    });
    await sixteen(logins, async (i) => {
      const stepId = stepIds[i]!;
      const t0 = performance.now();
      await startPush(http, stepId);
      pushMs.push(performance.now() - t0);
      pushed += 1;
      finished.push(
        awaitStep(http, stepId).then(
          (body) => {
            stringAt(body, 'jwt');
            tokenAt.push(performance.now());
            done += 1;
          },
          (error: unknown) => {
            failures += 1;
            firstError ??= error instanceof Error ? error.message : String(error);
          },
        ),
      );
    });
    const rampMs = performance.now() - started;
    if (pushed !== logins) throw new Error(`${pushed} of ${logins} pushes were sent`);
    await until(
      'every push to be pending at Duo',
      async () => (await env.duo.child.ipc.request<number>('pendingPushes')) >= logins,
      60_000,
    );
    await sleep(2_000);

    // Does a new login still get through to Duo while the others wait?
    const probeUser = env.users.duoFast[env.users.duoFast.length - 1]!;
    const p0 = performance.now();
    let probe: WaitingData['probe'];
    try {
      await duoPasswordStep(probeClient, probeUser);
      probe = { duoPasswordStepMs: performance.now() - p0, duoPasswordStepOk: true };
    } catch (error) {
      probe = {
        duoPasswordStepMs: performance.now() - p0,
        duoPasswordStepOk: false,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    const p1 = performance.now();
    await plainLogin(probeClient, env.users.plain[0]!);
    const probePlainLoginMs = performance.now() - p1;

    await env.active.child.ipc.request('resetEventLoopDelay');
    await sleep(windowMs);
    const window = await childStats(env.active);
    await env.active.child.ipc.request('gc');
    const waiting = await childStats(env.active);

    const a0 = performance.now();
    await env.duo.child.ipc.request<number>('approveAll');
    await until('every waiting login to finish', () => done + failures >= logins, 120_000);
    await Promise.all(finished);
    const approveToAllDoneMs = performance.now() - a0;

    const data: WaitingData = {
      logins,
      rampMs,
      before,
      waiting: { ...waiting, eventLoopDelayMs: window.eventLoopDelayMs },
      heapPerLogin: (waiting.heapUsed - before.heapUsed) / logins,
      rssPerLogin: (waiting.rss - before.rss) / logins,
      eventLoopP99Ms: window.eventLoopDelayMs.p99,
      eventLoopMaxMs: window.eventLoopDelayMs.max,
      probe,
      probePlainLoginMs,
      approveToAllDoneMs,
      failures,
      latencyMs: {
        passwordStep: percentiles(passwordStepMs),
        push: percentiles(pushMs),
        approvalToToken: percentiles(tokenAt.map((t) => t - a0)),
      },
    };
    if (firstError !== undefined) console.error(`waiting logins: ${failures} failed; first: ${firstError}`);
    const rows: Row[] = [
      {
        id: '6a',
        what: `memory per waiting login (${logins} waiting on a push; heap after GC)`,
        a: `heap +${kb(waiting.heapUsed - before.heapUsed)}, RSS +${kb(waiting.rss - before.rss)}`,
        b: '',
        value: `${kb(data.heapPerLogin)} heap, ${kb(data.rssPerLogin)} RSS`,
        target: '≤ 50 KB',
        verdict: verdict(data.heapPerLogin <= TARGET_BYTES && data.rssPerLogin <= TARGET_BYTES),
        // The larger of the two, which the target applies to.
        figure: { value: Math.max(data.heapPerLogin, data.rssPerLogin) / 1024, unit: 'KB', max: TARGET_BYTES / 1024 },
      },
      {
        id: '6b',
        what: `event-loop delay in Strapi while ${logins} wait (${(windowMs / 1000).toFixed(0)} s window)`,
        a: `p50 ${ms(window.eventLoopDelayMs.p50)}, max ${ms(window.eventLoopDelayMs.max)}`,
        b: '',
        value: `p99 ${ms(data.eventLoopP99Ms)}`,
        target: '≤ 20 ms',
        verdict: verdict(data.eventLoopP99Ms <= TARGET_DELAY_MS),
        figure: { value: data.eventLoopP99Ms, unit: 'ms', max: TARGET_DELAY_MS },
      },
      {
        id: '6c',
        what: `a new Duo login's password step (preauth) while ${logins} wait`,
        a: probe.duoPasswordStepOk ? ms(probe.duoPasswordStepMs) : `failed after ${ms(probe.duoPasswordStepMs)}`,
        b: `plain login ${ms(probePlainLoginMs)}`,
        value: probe.duoPasswordStepOk ? 'answered' : 'refused',
        target: 'answered',
        verdict: verdict(probe.duoPasswordStepOk),
      },
      {
        id: '6d',
        what: `approve all ${logins} pushes → every login has its token`,
        a: ms(approveToAllDoneMs),
        b: `ramp ${ms(rampMs)}`,
        value: `${failures} failed`,
        target: 'report',
        verdict: 'info',
      },
      {
        id: '6e',
        what: `the Duo step's own latency among ${logins} logins, apart from the password steps' bcrypt (p50 / p99)`,
        a: `push ${pair(data.latencyMs.push)}; approval → token ${pair(data.latencyMs.approvalToToken)}`,
        b: `password step ${pair(data.latencyMs.passwordStep)}`,
        value: `push p50 ${ms(data.latencyMs.push.p50)}`,
        target: 'report',
        verdict: 'info',
        figure: { value: data.latencyMs.push.p50, unit: 'ms' },
      },
    ];
    return { rows, data };
  } finally {
    await env.duo.child.ipc.request('setPushResponse', {
      usernames: users.map((u) => env.duoUsername(u.email)),
      pushResponse: 'approve',
    });
    await Promise.all([http.close(), probeClient.close()]);
  }
}
