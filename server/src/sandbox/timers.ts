/**
 * Every timer the sandbox starts goes through here, so `close()` can stop them all at once: a pending push
 * timeout or a latency fault must neither keep the process alive nor fire into a closed server.
 */
export class TimerSet {
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` after `ms` unless cancelled (returned function) or closed first. */
  schedule(ms: number, fn: () => void): () => void {
    if (this.#closed) return () => undefined;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    timer.unref();
    this.#timers.set(timer, () => undefined);
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  /** Resolves after `ms`, or at once when the set closes (callers check `closed`). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#closed) return resolve();
      const timer = setTimeout(
        () => {
          this.#timers.delete(timer);
          resolve();
        },
        Math.max(0, ms),
      );
      timer.unref();
      this.#timers.set(timer, resolve);
    });
  }

  closeAll(): void {
    this.#closed = true;
    for (const [timer, onClose] of this.#timers) {
      clearTimeout(timer);
      onClose();
    }
    this.#timers.clear();
  }
}
