import { deadlinesFor, retryAfterSeconds } from './proxy.service.js';
import type { RoutableGroup } from '../routing/routing-snapshot.js';

const group = { timeoutSeconds: 5 } as RoutableGroup;

describe('deadlinesFor', () => {
  it('bounds a stream by first byte and idle gap only, plus the optional maximum duration', () => {
    expect(deadlinesFor(group, true, 0)).toEqual({
      connectMs: 5000,
      firstByteMs: 5000,
      idleMs: 5000,
      totalMs: 0,
    });
    expect(deadlinesFor(group, true, 600_000).totalMs).toBe(600_000);
  });

  it('bounds a non-stream answer as a whole by the timeout', () => {
    expect(deadlinesFor(group, false, 600_000)).toEqual({
      connectMs: 5000,
      firstByteMs: 5000,
      idleMs: 5000,
      totalMs: 5000,
    });
  });
});

describe('retryAfterSeconds', () => {
  it.each([
    [undefined, 60, 1],
    [250, 60, 1],
    [2500, 60, 3],
    [86_400_000, 60, 60],
    [86_400_000, 5, 5],
  ])('%p ms, cap %p s → %p s', (ms, cap, expected) => {
    expect(retryAfterSeconds(ms, cap)).toBe(expected);
  });
});
