import type { KeyTransition, SharedKeyState, UpstreamKeyRef } from '../key-health/key-health.js';
import { asSeenByOthers, parseReport, reportOf } from './key-health-report.js';

const REF: UpstreamKeyRef = { groupId: 1, groupName: 'primary', keyId: 7, masked: 'sk-…abcd' };
const AT = 1_700_000_000_000;
const OPEN: SharedKeyState = {
  breaker: {
    state: 'open',
    consecutiveFailures: 3,
    consecutiveSuccesses: 0,
    openedCount: 1,
    nextAttemptAt: AT + 60_000,
    recentFailureAt: [],
  },
  cooldownUntil: 0,
  unhealthyUntil: 0,
};
const transition = (over: Partial<KeyTransition> = {}): KeyTransition => ({
  at: AT,
  ref: REF,
  from: 'closed',
  to: 'open',
  reason: 'failure_threshold',
  consecutiveFailures: 3,
  ...over,
});

describe(reportOf.name, () => {
  it('reports what this replica saw, with the key state another replica needs', () => {
    expect(reportOf(transition(), OPEN, 'replica-a')).toEqual({
      from: 'replica-a',
      at: AT,
      reason: 'failure_threshold',
      ref: REF,
      state: OPEN,
    });
  });

  it('does not pass on what it was told, nor its own trial starting', () => {
    expect(reportOf(transition({ remote: true }), OPEN, 'a')).toBeUndefined();
    expect(
      reportOf(transition({ from: 'open', to: 'half_open', reason: 'backoff_elapsed' }), OPEN, 'a'),
    ).toBeUndefined();
  });
});

describe(asSeenByOthers.name, () => {
  it('shows a half-open breaker as open and due, so the others wait for the trial', () => {
    const halfOpen: SharedKeyState = {
      ...OPEN,
      breaker: { ...OPEN.breaker, state: 'half_open', nextAttemptAt: undefined },
    };

    expect(asSeenByOthers(halfOpen, AT + 5).breaker).toMatchObject({
      state: 'open',
      nextAttemptAt: AT + 5,
      openedCount: 1,
    });
    expect(asSeenByOthers(OPEN, AT)).toBe(OPEN);
  });
});

describe(parseReport.name, () => {
  const report = { from: 'a', at: AT, reason: 'failure_threshold', ref: REF, state: OPEN };

  it('reads a report back', () => {
    expect(parseReport(JSON.stringify(report))).toEqual(report);
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['no sender', JSON.stringify({ ...report, from: 1 })],
    ['a negative time', JSON.stringify({ ...report, at: -1 })],
    ['a key id that is not an integer', JSON.stringify({ ...report, ref: { ...REF, keyId: '7' } })],
    [
      'an unknown breaker state',
      JSON.stringify({ ...report, state: { ...OPEN, breaker: { ...OPEN.breaker, state: 'ajar' } } }),
    ],
    [
      'failure times that are not numbers',
      JSON.stringify({ ...report, state: { ...OPEN, breaker: { ...OPEN.breaker, recentFailureAt: ['x'] } } }),
    ],
    ['an invalid mark without a status', JSON.stringify({ ...report, state: { ...OPEN, invalid: {} } })],
  ])('ignores %s', (_, text) => {
    expect(parseReport(text)).toBeUndefined();
  });
});
