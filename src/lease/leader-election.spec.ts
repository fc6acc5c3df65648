import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { LeaderElection } from './leader-election.js';
import type { LeaderLease } from './leader-lease.js';

class ScriptedLease implements LeaderLease {
  answer: boolean | Error = true;
  holds: number[] = [];
  released = 0;

  hold(ttlMs: number): Promise<boolean> {
    this.holds.push(ttlMs);
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }

  release(): Promise<void> {
    this.released += 1;
    return Promise.resolve();
  }
}

/** A log call's text: the message, or a structured line's `msg`. */
function lineOf(message: unknown): string {
  return typeof message === 'object' && message !== null && 'msg' in message
    ? String(message.msg)
    : String(message);
}

describe(LeaderElection.name, () => {
  let lease: ScriptedLease;
  let logged: string[];
  let sut: LeaderElection;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    logged = [];
    for (const level of ['log', 'warn'] as const)
      jest
        .spyOn(Logger.prototype, level)
        .mockImplementation((message: unknown) => void logged.push(lineOf(message)));
    lease = new ScriptedLease();
    sut = new LeaderElection(lease, 'job', () => 3000);
  });

  afterEach(async () => {
    const stopping = sut.stop();
    await jest.advanceTimersByTimeAsync(5000); // a stalled round is waited for 2 s at most
    await stopping;
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('leads from the first round when the lease is free, and renews every third of its life', async () => {
    await sut.start();
    expect(sut.isLeader()).toBe(true);
    expect(lease.holds).toEqual([3000]);

    await jest.advanceTimersByTimeAsync(1000);
    expect(lease.holds).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(5000);
    expect(lease.holds).toHaveLength(7);
    expect(sut.isLeader()).toBe(true);
    expect(logged).toEqual(['This replica now holds the lease']);
  });

  it('follows while another replica holds the lease, and leads once it is free', async () => {
    lease.answer = false;
    await sut.start();
    expect(sut.isLeader()).toBe(false);

    lease.answer = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(sut.isLeader()).toBe(true);
  });

  it('stops leading when the store fails, logging the outage once', async () => {
    await sut.start();
    lease.answer = new Error('connection refused');
    await jest.advanceTimersByTimeAsync(3000);

    expect(sut.isLeader()).toBe(false);
    expect(logged.filter((line) => line.startsWith('Lease store unreachable'))).toHaveLength(1);
    lease.answer = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(sut.isLeader()).toBe(true);
    expect(logged).toContain('Lease store reachable again');
  });

  it('never leads past the life of the last renewal, even when renewals stall', async () => {
    await sut.start();
    lease.hold = () => new Promise<boolean>(() => undefined); // the store stops answering
    await jest.advanceTimersByTimeAsync(2999);
    expect(sut.isLeader()).toBe(true);
    await jest.advanceTimersByTimeAsync(2);
    expect(sut.isLeader()).toBe(false);
  });

  it('releases the lease on stop and schedules no further round', async () => {
    await sut.start();
    await sut.stop();

    expect(sut.isLeader()).toBe(false);
    expect(lease.released).toBe(1);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(lease.holds).toHaveLength(1);
  });
});
