/** The sandbox's own clock: the real (or injected) clock plus a skew, so tests can play a drifting Duo. */
export class SandboxClock {
  #skewMs = 0;

  constructor(private readonly realNow: () => number) {}

  nowMs(): number {
    return this.realNow() + this.#skewMs;
  }

  nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  get skewMs(): number {
    return this.#skewMs;
  }

  setSkew(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('Skew must be a finite number of milliseconds');
    this.#skewMs = Math.trunc(ms);
  }
}
