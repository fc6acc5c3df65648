import type { CheckRecord } from './check-bookkeeping.js';
import type { BreakerSnapshot } from '../key-health/circuit-breaker.js';
import type { Availability, KeyCondition, KeyHealthView } from '../key-health/key-health.js';
import { groupRow, KeyInputs, successRate } from './provider-health-rows.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function key(
  id: number,
  condition: KeyCondition,
  availability: Availability,
  record: Partial<CheckRecord> = {},
  failures = 0,
): KeyInputs {
  const breaker: BreakerSnapshot = {
    state: condition === 'open' || condition === 'half_open' ? condition : 'closed',
    consecutiveFailures: failures,
    consecutiveSuccesses: 0,
    openedCount: 0,
    recentFailureAt: [],
  };
  const view: KeyHealthView = {
    ref: { groupId: 1, groupName: 'g', keyId: id, masked: `sk-…${id}` },
    condition,
    availability,
    breaker,
    trialsInFlight: 0,
    inFlight: 0,
    recentRequests: 0,
  };
  return {
    id,
    masked: `sk-…${id}`,
    enabled: true,
    view,
    availability,
    record: { errorCount: 0, consecutiveSuccesses: 0, ...record },
  };
}

describe('groupRow', () => {
  it('is healthy with one closed key, and sums up its keys', () => {
    const row = groupRow(
      {
        id: 1,
        name: 'openai-primary',
        enabled: true,
        traffic: { requests: 200, successes: 199 },
        keys: [
          {
            ...key(
              1,
              'closed',
              { available: true, reason: 'ok' },
              { consecutiveSuccesses: 4, lastCheckAt: NOW - 1000, lastStatusCode: 200 },
            ),
            traffic: { requests: 150, successes: 150 },
          },
          key(
            2,
            'open',
            { available: false, reason: 'breaker_open', availableAt: NOW + 45_000 },
            {
              errorCount: 2,
              consecutiveSuccesses: 0,
              lastError: 'HTTP 500',
              lastStatusCode: 500,
              lastFailureAt: NOW - 5000,
              lastCheckAt: NOW - 5000,
            },
            3,
          ),
        ],
      },
      NOW,
    );

    expect(row).toMatchObject({
      provider_id: 1,
      provider_name: 'openai-primary',
      status: 'healthy',
      is_healthy: true,
      error_count: 2,
      consecutive_successes: 0,
      consecutive_failures: 3,
      last_error: 'HTTP 500',
      last_status_code: 200,
      last_check_at: iso(NOW - 1000),
      next_retry_at: null,
      success_rate_24h: 99.5,
      total_requests_24h: 200,
    });
    expect(row.keys[0]).toMatchObject({
      id: 1,
      status: 'healthy',
      reason: 'ok',
      available: true,
      available_at: null,
      success_rate_24h: 100,
      total_requests_24h: 150,
    });
    expect(row.keys[1]).toMatchObject({
      id: 2,
      status: 'unhealthy',
      reason: 'breaker_open',
      available: false,
      available_at: iso(NOW + 45_000),
      next_retry_at: iso(NOW + 45_000),
      breaker_state: 'open',
      success_rate_24h: null,
      total_requests_24h: 0,
    });
  });

  it('is recovering with none closed and one half-open, and says when the first key is due', () => {
    const row = groupRow(
      {
        id: 2,
        name: 'b',
        enabled: true,
        keys: [
          key(1, 'half_open', { available: true, reason: 'half_open' }),
          key(
            2,
            'unhealthy',
            { available: false, reason: 'unhealthy_by_checks', availableAt: NOW + 3_600_000 },
            { errorCount: 5, nextRetryAt: NOW + 3_600_000 },
          ),
        ],
      },
      NOW,
    );
    expect(row).toMatchObject({
      status: 'recovering',
      is_healthy: false,
      next_retry_at: iso(NOW + 3_600_000),
    });
  });

  it('is unhealthy when every key is open or invalid, and disabled when the group is', () => {
    const keys = [
      key(1, 'invalid', { available: false, reason: 'invalid_credentials' }),
      key(2, 'open', { available: false, reason: 'breaker_open', availableAt: NOW + 1000 }),
    ];
    expect(groupRow({ id: 3, name: 'c', enabled: true, keys }, NOW)).toMatchObject({
      status: 'unhealthy',
      next_retry_at: iso(NOW + 1000),
    });
    const disabled = groupRow({ id: 3, name: 'c', enabled: false, keys }, NOW);
    expect(disabled).toMatchObject({ status: 'disabled', next_retry_at: null });
    expect(disabled.keys.map((k) => k.reason)).toEqual(['group_disabled', 'group_disabled']);
  });

  it('lists a disabled key with its reason and leaves it out of the status', () => {
    const row = groupRow(
      {
        id: 4,
        name: 'd',
        enabled: true,
        keys: [{ ...key(1, 'closed', { available: true, reason: 'ok' }), enabled: false }],
      },
      NOW,
    );
    expect(row.status).toBe('unhealthy');
    expect(row.keys[0]).toMatchObject({
      status: 'disabled',
      reason: 'disabled',
      available: false,
      is_healthy: false,
    });
  });
});

describe('successRate', () => {
  it('is a percentage with two decimals, null without traffic', () => {
    expect(successRate({ requests: 3, successes: 2 })).toBe(66.67);
    expect(successRate({ requests: 0, successes: 0 })).toBeNull();
    expect(successRate(undefined)).toBeNull();
  });
});
