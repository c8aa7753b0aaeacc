// Caps how many requests are in flight to one host. Paging through GitHub deployment statuses or
// splitting a PagerDuty range fans out many requests; without a cap a refresh could trip the
// provider's abuse detection or flood a small self-hosted Prometheus.

export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly maxConcurrentPerHost: number) {
    if (!Number.isInteger(maxConcurrentPerHost) || maxConcurrentPerHost < 1) {
      throw new RangeError('maxConcurrentPerHost must be a positive integer');
    }
  }

  /** Requests currently running against `host`; exposed for tests and diagnostics. */
  inFlight(host: string): number {
    return this.active.get(host) ?? 0;
  }

  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(host);
    try {
      return await task();
    } finally {
      this.release(host);
    }
  }

  private acquire(host: string): Promise<void> {
    const running = this.active.get(host) ?? 0;
    if (running < this.maxConcurrentPerHost) {
      this.active.set(host, running + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(host) ?? [];
      // The slot is handed over directly in release(), so the count stays exact.
      queue.push(resolve);
      this.waiting.set(host, queue);
    });
  }

  private release(host: string): void {
    const queue = this.waiting.get(host);
    const next = queue?.shift();
    if (next) {
      next();
      return;
    }
    if (queue && queue.length === 0) this.waiting.delete(host);
    const running = (this.active.get(host) ?? 1) - 1;
    if (running <= 0) this.active.delete(host);
    else this.active.set(host, running);
  }
}
