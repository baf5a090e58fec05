import type { SandboxStats } from './types';

/** Counters tests read to prove connection reuse and to see which endpoints a client called. */
export class StatsCounter {
  #connections = 0;
  #requests = 0;
  #controlRequests = 0;
  #byPath = new Map<string, number>();

  connection(): void {
    this.#connections += 1;
  }

  authRequest(path: string): void {
    this.#requests += 1;
    this.#byPath.set(path, (this.#byPath.get(path) ?? 0) + 1);
  }

  controlRequest(): void {
    this.#controlRequests += 1;
  }

  snapshot(): SandboxStats {
    return {
      connections: this.#connections,
      requests: this.#requests,
      byPath: Object.fromEntries(this.#byPath),
      controlRequests: this.#controlRequests,
    };
  }

  reset(): void {
    this.#connections = 0;
    this.#requests = 0;
    this.#controlRequests = 0;
    this.#byPath = new Map();
  }
}
