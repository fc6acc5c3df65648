import { failoverEventOf } from './failover-event-of.js';

describe('failoverEventOf', () => {
  const ref = { groupId: 3, groupName: 'backup', keyId: 31, masked: 'sk-…wxyz' };

  it('writes a breaker opening with its status, error and next retry in seconds', () => {
    const at = 1_700_000_000_000;
    expect(
      failoverEventOf({
        at,
        ref,
        from: 'closed',
        to: 'open',
        reason: 'failure_threshold',
        consecutiveFailures: 3,
        status: 502,
        message: 'bad gateway',
        nextRetryAt: at + 59_500,
      }),
    ).toEqual({
      at: new Date(at),
      groupId: 3,
      groupName: 'backup',
      upstreamKeyId: 31,
      keyMasked: 'sk-…wxyz',
      eventType: 'breaker_open',
      fromState: 'closed',
      toState: 'open',
      reason: 'failure_threshold',
      statusCode: 502,
      error: 'bad gateway',
      consecutiveFailures: 3,
      nextRetrySeconds: 60,
    });
  });

  it.each([
    ['backoff_elapsed', 'breaker_half_open'],
    ['success_threshold', 'breaker_closed'],
    ['reset', 'breaker_closed'],
    ['marked_invalid', 'key_invalid'],
    ['marked_valid', 'key_valid'],
    ['marked_unhealthy', 'unhealthy'],
    ['recovered', 'recovered'],
    ['rate_limited', 'rate_limited'],
  ] as const)('names %s as %s', (reason, type) => {
    const row = failoverEventOf({ at: 0, ref, from: 'closed', to: 'closed', reason, consecutiveFailures: 0 });
    expect(row).toMatchObject({ eventType: type, statusCode: null, error: null, nextRetrySeconds: null });
  });
});
