import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AbortLatch } from './abort-latch.js';

/**
 * Knows whether the process is draining and how many requests are still in flight, so that
 * readiness can fail at once on SIGTERM while running requests (streams too) finish.
 */
@Injectable()
export class LifecycleService {
  private drainingSince?: number;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  /** Aborts when the shutdown grace period is over: running streams end with an error event. */
  readonly graceOver = new AbortLatch().setMaxListeners(0);

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Counts the request until its response closes (finished or aborted). */
  track(res: ServerResponse): void {
    this.inFlight += 1;
    res.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.wakeIdleWaiters();
    });
  }

  beginDrain(): void {
    this.drainingSince ??= Date.now();
  }

  /** The grace period is over: tell what still runs to end now (streams send an error event). */
  endGrace(): void {
    this.graceOver.abort();
  }

  /** Resolves when no request is in flight, or after `graceMs`, whichever comes first. */
  async waitForIdle(graceMs: number): Promise<boolean> {
    if (this.inFlight === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((wake) => wake());
  }
}
