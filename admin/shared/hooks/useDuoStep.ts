import { useCallback, useEffect, useRef, useState } from 'react';

import {
  readDuoOptions,
  readResult,
  readState,
  STEP_PATH,
  type DuoOptions,
  type StepAction,
  type StepResult,
  type StepStart,
  type StepState,
} from '../api/step.ts';
import { isAborted, readStepError } from '../api/stepErrors.ts';
import { deniedMessage, describeState, STEP_MESSAGES, type StepMessage } from '../utils/stepMessages.ts';

/**
 * The admin's POST (helper-plugin's `useFetchClient` on Strapi 4, `@strapi/strapi/admin`'s on Strapi 5): both
 * answer `{ data }` and throw an error carrying `response.data.error` on a refusal, which is all the step reads.
 */
export type PostJson = (url: string, body: Record<string, unknown>) => Promise<{ data: unknown }>;

export interface DuoStepCallbacks {
  /** Duo allowed the step: its final answer (Duo on with a new token, or Duo off). */
  onResult(result: StepResult): void;
  /** The step is over without a result (denied, expired, too many passcodes, cancelled). */
  onEnd(message: StepMessage): void;
}

export interface DuoStepControls {
  duo: DuoOptions;
  status: StepMessage | null;
  problem: StepMessage | null;
  /** The Verified Push code to type into Duo Mobile. */
  verificationCode: string | null;
  push(device?: string): Promise<void>;
  phone(device?: string): Promise<void>;
  sms(device?: string): Promise<void>;
  passcode(code: string): Promise<void>;
  cancel(): Promise<void>;
}

const sleep = (ms: number) => new Promise((done) => window.setTimeout(done, ms));

/**
 * Drives one Duo step (the same protocol as the login step page): push or call with a long-polled status, SMS,
 * passcode, and Duo Mobile activation when Duo does not know the administrator yet. One poll at a time: every move
 * bumps a generation, and an answer for an older generation is dropped.
 */
export function useDuoStep(post: PostJson, start: StepStart, callbacks: DuoStepCallbacks): DuoStepControls {
  const [duo, setDuo] = useState<DuoOptions>(start.duo);
  const [status, setStatus] = useState<StepMessage | null>(null);
  const [problem, setProblem] = useState<StepMessage | null>(null);
  const [verificationCode, setVerificationCode] = useState<string | null>(null);
  const generation = useRef(0);
  const over = useRef(false);
  const latest = useRef(callbacks);
  latest.current = callbacks;

  const call = useCallback(
    async (action: StepAction, extra: Record<string, unknown> = {}): Promise<unknown> => {
      const { data } = await post(`${STEP_PATH}/${action}`, { step: start.step.id, ...extra });
      return data !== null && typeof data === 'object' ? Reflect.get(data, 'data') : undefined;
    },
    [post, start.step.id],
  );

  const finish = useCallback((result: StepResult) => {
    over.current = true;
    generation.current += 1;
    latest.current.onResult(result);
  }, []);

  const end = useCallback((message: StepMessage) => {
    over.current = true;
    generation.current += 1;
    latest.current.onEnd(message);
  }, []);

  /** Final answer → result; otherwise the step's state. */
  const settle = useCallback(
    (data: unknown): StepState | null => {
      const result = readResult(data);
      if (result !== undefined) {
        finish(result);
        return null;
      }
      return readState(data);
    },
    [finish],
  );

  const failed = useCallback(
    (thrown: unknown) => {
      if (isAborted(thrown) || over.current) return;
      const error = readStepError(thrown);
      const message = error.message ?? STEP_MESSAGES.network;
      if (error.name === 'DuoPasscodeError' && (error.attemptsLeft ?? 0) > 0) return setProblem(message);
      if (['DuoPasscodeError', 'DuoStepError', 'DuoDeniedError'].includes(error.name)) return end(message);
      // DuoFactorError, DuoUnavailableError, a network failure: stay, try again or another way.
      setProblem(message);
    },
    [end],
  );

  const follow = useCallback(
    async (ticket: number) => {
      const live = () => !over.current && ticket === generation.current;
      while (live()) {
        const asked = Date.now();
        let state: StepState | null;
        try {
          state = settle(await call('status', { wait: true }));
        } catch (thrown) {
          if (live()) failed(thrown);
          return;
        }
        if (state === null || !live()) return;
        const next = state.duo === undefined ? undefined : readDuoOptions(state.duo);
        if (next !== undefined) setDuo(next);
        if (state.state === 'denied') return end(deniedMessage(state));
        if (state.state === 'cancelled') return end(state.message ?? STEP_MESSAGES.denied);
        if (state.state === 'pending' && next?.result === 'auth') {
          // Duo Mobile was just activated: the step is now an ordinary check.
          return setStatus(STEP_MESSAGES.activated);
        }
        if (state.state === 'enrolling') {
          const activation = next?.result === 'enroll' ? next.activation : undefined;
          setStatus(activation === undefined ? STEP_MESSAGES.portal : STEP_MESSAGES.activating);
        } else {
          setStatus(describeState(state));
        }
        if (Date.now() - asked < 1000) await sleep(1000);
      }
    },
    [call, end, failed, settle],
  );

  const outOfBand = useCallback(
    async (factor: 'push' | 'phone', device?: string) => {
      setProblem(null);
      try {
        const state = settle(await call(factor, device === undefined ? {} : { device }));
        if (state === null) return;
        setVerificationCode(state.verificationCode ?? null);
        setStatus(describeState(state));
        generation.current += 1;
        void follow(generation.current);
      } catch (thrown) {
        failed(thrown);
      }
    },
    [call, failed, follow, settle],
  );

  const sms = useCallback(
    async (device?: string) => {
      setProblem(null);
      try {
        const state = settle(await call('sms', device === undefined ? {} : { device }));
        if (state !== null) setStatus(state.message ?? STEP_MESSAGES.smsSent);
      } catch (thrown) {
        failed(thrown);
      }
    },
    [call, failed, settle],
  );

  const passcode = useCallback(
    async (code: string) => {
      if (!/^[0-9]{4,16}$/.test(code)) return setProblem(STEP_MESSAGES.passcodeFormat);
      setProblem(null);
      try {
        settle(await call('passcode', { passcode: code }));
      } catch (thrown) {
        failed(thrown);
      }
    },
    [call, failed, settle],
  );

  const cancel = useCallback(async () => {
    over.current = true;
    generation.current += 1;
    await call('cancel').catch(() => undefined);
  }, [call]);

  // Duo does not know this administrator yet: start a Duo Mobile activation (the QR code) straight away.
  useEffect(() => {
    if (start.duo.result !== 'enroll') return undefined;
    const ticket = generation.current;
    const activate = async () => {
      try {
        const state = start.duo.result === 'enroll' && start.duo.activation ? null : settle(await call('enroll'));
        if (ticket !== generation.current || over.current) return;
        const next = state?.duo === undefined ? start.duo : readDuoOptions(state.duo);
        if (next !== undefined) setDuo(next);
        const activation = next?.result === 'enroll' ? next.activation : undefined;
        setStatus(activation === undefined ? STEP_MESSAGES.portal : STEP_MESSAGES.activating);
        void follow(ticket);
      } catch (thrown) {
        if (ticket === generation.current) failed(thrown);
      }
    };
    void activate();
    return () => {
      generation.current += 1;
    };
    // Once per step: the callbacks it uses are stable for the step id.
  }, [start.step.id]);

  // Leaving the page ends any poll.
  useEffect(() => {
    over.current = false;
    return () => {
      over.current = true;
    };
  }, []);

  return {
    duo,
    status,
    problem,
    verificationCode,
    push: (device) => outOfBand('push', device),
    phone: (device) => outOfBand('phone', device),
    sms,
    passcode,
    cancel,
  };
}
