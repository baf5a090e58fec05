import type { ChildProcess } from 'node:child_process';

/**
 * Request/response over a forked child's IPC channel: `{ id, type, payload }` out, `{ id, ok, value | error }` back.
 * The bench's children (the Strapi apps' monitor preload, the Duo side) answer this protocol.
 */
export interface IpcRequest {
  readonly id: number;
  readonly type: string;
  readonly payload?: unknown;
}

export interface IpcReply {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
}

function isReply(message: unknown): message is IpcReply {
  return (
    message !== null &&
    typeof message === 'object' &&
    typeof (message as { id?: unknown }).id === 'number' &&
    typeof (message as { ok?: unknown }).ok === 'boolean'
  );
}

export class IpcPeer {
  #next = 1;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(private readonly child: ChildProcess) {
    child.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      const waiter = this.#pending.get(message.id);
      if (waiter === undefined) return;
      this.#pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.error ?? 'IPC request failed'));
    });
    child.on('exit', () => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error('the child process exited'));
      this.#pending.clear();
    });
  }

  /** The caller states the reply's type: the protocol is the bench's own, on both ends. */
  request<T>(type: string, payload?: unknown): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: (value) => resolve(value as T), reject });
      const request: IpcRequest = { id, type, ...(payload === undefined ? {} : { payload }) };
      this.child.send(request, (error) => {
        if (error === null) return;
        this.#pending.delete(id);
        reject(error);
      });
    });
  }
}

export type IpcHandlers = Readonly<Record<string, (payload: unknown) => unknown>>;

/** Child side: answers requests from the parent with the named handler. */
export function serveIpc(handlers: IpcHandlers): void {
  process.on('message', (message: unknown) => {
    if (message === null || typeof message !== 'object') return;
    const { id, type, payload } = message as Partial<IpcRequest>;
    if (typeof id !== 'number' || typeof type !== 'string') return;
    const handler = handlers[type];
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`unknown request ${type}`);
        return handler(payload);
      })
      .then(
        (value: unknown) => process.send?.({ id, ok: true, value } satisfies IpcReply),
        (error: unknown) =>
          process.send?.({
            id,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          } satisfies IpcReply),
      );
  });
}
