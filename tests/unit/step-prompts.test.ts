import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { stepAccess } from '../../server/src/engine/step/access';
import { promptLimiter } from '../../server/src/engine/step/prompts';
import type { StepAnswer, StepState } from '../../server/src/engine/step';
import type { StepRow } from '../../server/src/engine/step-store';
import { duoOptionsFromPreauth } from '../../server/src/engine/duo-options';
import { stepEngineFixture } from '../helpers/step-engine';

/** The per-step cap on pushes and calls, and which of Duo's denials leave the step open (issue 13, item 3). */

const PREAUTH = { result: 'auth', statusMsg: 'Account is active', devices: [] } as const;

/** The open-step answer a denial gave, or undefined when the denial was ignored. */
function stateOf(answer: StepAnswer | undefined): StepState | undefined {
  if (answer === undefined) return undefined;
  assert.equal(answer.done, false);
  return answer.done ? undefined : answer.body;
}

function setup(maxPromptsPerStep = 2) {
  const { store, audit } = stepEngineFixture({ passcode: () => ({ result: 'deny', status: 'deny', statusMsg: '' }) });
  const config = () => ({ stepTtlSeconds: 300, maxPasscodeAttempts: 5, maxPromptsPerStep, statusWaitMs: 25_000 });
  const access = stepAccess({ store, secrets: { seal: (s) => s, open: (s) => s } });
  const prompts = promptLimiter({ store, audit, atomically: (work) => work(), config }, access);
  const open = async (): Promise<StepRow> => {
    const { row } = await store.create({
      audience: 'staff',
      userId: 3,
      purpose: 'login',
      duoUsername: 'ada@example.com',
      challenge: duoOptionsFromPreauth(PREAUTH),
      flow: null,
      ttlSeconds: 300,
    });
    return row;
  };
  /** Takes a prompt and records its txid on the step, as a started push does. */
  const push = async (row: StepRow, txid: string): Promise<StepRow> => {
    await prompts.take(row, 'push');
    await store.update(row, { duoTxid: txid, duoStatus: 'pushed' });
    return (await store.reload(row))!;
  };
  return { store, audit, prompts, open, push };
}

describe('Duo prompts per step', () => {
  it('a denied push reopens the step with the prompts left; the last one denied ends it', async () => {
    const { store, audit, prompts, open, push } = setup(2);
    let row = await push(await open(), 'TX1');
    const retry = stateOf(await prompts.denied(row, 'TX1', 'deny', 'Login request denied.'));
    assert.deepEqual(
      { ...retry, duo: undefined },
      {
        state: 'pending',
        duoStatus: 'deny',
        message: 'Login request denied.',
        promptsLeft: 1,
        duo: undefined,
      },
    );
    row = (await store.reload(row))!;
    assert.deepEqual([row.state, row.duoTxid, row.promptsSent], ['pending', null, 1]);

    row = await push(row, 'TX2');
    const ended = stateOf(await prompts.denied(row, 'TX2', 'timeout', 'Login timed out.'));
    assert.deepEqual([ended?.state, ended?.promptsLeft], ['denied', 0]);
    assert.equal((await store.reload(row))?.state, 'denied');
    assert.deepEqual(
      audit.lines.map((l) => [l.event, l.outcome]),
      [
        ['step.retry', 'open'],
        ['step.denied', 'prompt-limit'],
      ],
    );
  });

  it('no prompt beyond the cap reaches Duo: the next push is refused while the step stays open', async () => {
    const { store, prompts, open, push } = setup(1);
    const row = await push(await open(), 'TX1');
    await assert.rejects(prompts.take(row, 'push'), (error: Error) => error.name === 'DuoFactorError');
    assert.equal((await store.reload(row))?.state, 'pending', 'the running push can still be approved');
  });

  it('a late denial of an earlier push neither reopens nor ends the step a newer push waits on', async () => {
    const { store, prompts, open, push } = setup(2);
    const first = await push(await open(), 'TX1');
    const second = await push(first, 'TX2');
    assert.equal(await prompts.denied(second, 'TX1', 'deny', 'Login request denied.'), undefined);
    const now = (await store.reload(second))!;
    assert.deepEqual([now.state, now.duoTxid], ['pending', 'TX2']);
  });

  for (const status of ['fraud', 'locked_out', 'something-new']) {
    it(`Duo status ${status} ends the step at once, with prompts left and whichever push it was`, async () => {
      const { store, audit, prompts, open, push } = setup(3);
      const first = await push(await open(), 'TX1');
      const second = await push(first, 'TX2');
      const answer = stateOf(await prompts.denied(second, 'TX1', status, 'Refused.'));
      assert.deepEqual(answer, { state: 'denied', duoStatus: status, message: 'Refused.', promptsLeft: 0 });
      assert.equal((await store.reload(second))?.state, 'denied');
      assert.deepEqual(audit.lines.at(-1)?.detail, { duoStatus: status, retry: false });
    });
  }
});
