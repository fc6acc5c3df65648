import { Logger } from '@nestjs/common';
import type { LeaderLease } from './leader-lease.js';
import { TIMED_OUT, withinDeadline } from '../common/deadline.js';
import { describeError } from '../common/describe-error.js';

const STOP_WAIT_MS = 2000;

/**
 * Keeps trying to hold one lease: every third of its time to live, `hold()` takes or renews it.
 * `isLeader()` is a synchronous check for the job's timer, true only until the lease it last
 * renewed would expire, so a replica cut off from the store stops leading before another can
 * take over. Errors are logged once per outage.
 */
export class LeaderElection {
  private readonly logger: Logger;
  private validUntil = 0;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly lease: LeaderLease,
    readonly name: string,
    private readonly ttlMs: () => number,
  ) {
    this.logger = new Logger(`LeaderElection(${name})`);
  }

  /** Runs the first round before resolving, so a replica alone leads from its first tick. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.runRound();
  }

  isLeader(): boolean {
    return Date.now() < this.validUntil;
  }

  /** Gives the lease up (bounded in time: a stalled store never holds up shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await withinDeadline(this.round ?? Promise.resolve(), STOP_WAIT_MS).catch(() => undefined);
    const leading = this.isLeader();
    this.validUntil = 0;
    try {
      if ((await withinDeadline(this.lease.release(), STOP_WAIT_MS)) === TIMED_OUT)
        throw new Error(`no answer within ${STOP_WAIT_MS} ms`);
      if (leading) this.logger.log('Lease released');
    } catch (error) {
      this.logger.warn({ msg: 'Could not release the lease (it will expire)', error: describeError(error) });
    }
  }

  private runRound(): Promise<void> {
    // A round that hangs (a stalled connection) is waited for, never doubled up.
    this.round ??= this.holdOnce().finally(() => {
      this.round = undefined;
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.runRound(), Math.max(100, this.ttlMs() / 3));
        this.timer.unref();
      }
    });
    return this.round;
  }

  private async holdOnce(): Promise<void> {
    const ttl = this.ttlMs();
    const started = Date.now();
    const wasLeader = this.isLeader();
    try {
      const held = await this.lease.hold(ttl);
      this.validUntil = held ? started + ttl : 0;
      if (this.failing) this.logger.log('Lease store reachable again');
      this.failing = false;
    } catch (error) {
      this.validUntil = 0;
      if (!this.failing)
        this.logger.warn({
          msg: 'Lease store unreachable; not leading until it answers',
          error: describeError(error),
        });
      this.failing = true;
    }
    if (this.isLeader() && !wasLeader) this.logger.log('This replica now holds the lease');
    else if (!this.isLeader() && wasLeader) this.logger.log('This replica no longer holds the lease');
  }
}
