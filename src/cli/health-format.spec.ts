import type { KeyHealthDto, ProviderHealthDto } from '../health/dto/provider-health.dto.js';
import {
  describeState,
  formatHealthReport,
  formatIn,
  formatStatsReport,
  overallLine,
} from './health-format.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const at = (ms: number) => new Date(NOW + ms).toISOString();

function key(id: number, over: Partial<KeyHealthDto> = {}): KeyHealthDto {
  return {
    id,
    masked: `sk-…${String(id).padStart(4, '0')}`,
    enabled: true,
    status: 'healthy',
    is_healthy: true,
    available: true,
    reason: 'ok',
    available_at: null,
    breaker_state: 'closed',
    error_count: 0,
    consecutive_successes: 3,
    consecutive_failures: 0,
    last_error: null,
    last_failure: null,
    last_failure_at: null,
    last_status_code: 200,
    last_check_at: null,
    last_success_at: null,
    next_retry_at: null,
    success_rate_24h: null,
    total_requests_24h: 0,
    ...over,
  };
}

function group(
  id: number,
  name: string,
  keys: KeyHealthDto[],
  over: Partial<ProviderHealthDto> = {},
): ProviderHealthDto {
  const {
    id: _id,
    masked: _m,
    enabled: _e,
    available: _a,
    reason: _r,
    available_at: _at,
    breaker_state: _b,
    last_success_at: _s,
    ...fields
  } = key(0);
  return { ...fields, provider_id: id, provider_name: name, keys, ...over };
}

describe('formatIn', () => {
  it.each([
    [45_000, '45s'],
    [400, '1s'],
    [-5, '0s'],
    [8 * 60_000 - 20_000, '8m'],
    [90 * 60_000, '2h'],
    [72 * 3_600_000, '3d'],
  ])('%i ms is %s', (ms, text) => expect(formatIn(ms)).toBe(text));
});

describe('describeState', () => {
  it('says Healthy, Recovering (retry in …), Unhealthy (n failures, retry in …)', () => {
    expect(describeState(key(1), NOW)).toBe('Healthy');
    expect(
      describeState(
        key(1, { status: 'recovering', reason: 'breaker_open', available: false, available_at: at(45_000) }),
        NOW,
      ),
    ).toBe('Recovering (retry in 45s)');
    expect(describeState(key(1, { status: 'recovering', reason: 'half_open' }), NOW)).toBe(
      'Recovering (trial traffic)',
    );
    expect(
      describeState(
        key(1, {
          status: 'unhealthy',
          reason: 'unhealthy_by_checks',
          error_count: 5,
          available_at: at(8 * 60_000),
        }),
        NOW,
      ),
    ).toBe('Unhealthy (5 failures, retry in 8m)');
    expect(
      describeState(
        key(1, {
          status: 'unhealthy',
          reason: 'breaker_open',
          consecutive_failures: 3,
          available_at: at(60_000),
        }),
        NOW,
      ),
    ).toBe('Unhealthy (3 failures, retry in 1m)');
    expect(
      describeState(
        key(1, { status: 'unhealthy', reason: 'invalid_credentials', last_status_code: 401 }),
        NOW,
      ),
    ).toBe('Unhealthy (invalid credentials, HTTP 401, until a check passes)');
    expect(
      describeState(key(1, { reason: 'cooling_down_429', available: false, available_at: at(2000) }), NOW),
    ).toBe('Healthy (rate limited, retry in 2s)');
    expect(describeState(key(1, { status: 'disabled', reason: 'disabled' }), NOW)).toBe('Disabled');
  });
});

describe('formatHealthReport', () => {
  it('prints every group and key, aligned, then the overall line', () => {
    const groups = [
      group(1, 'openai-primary', [
        key(1),
        key(2, { status: 'recovering', reason: 'breaker_open', available_at: at(45_000) }),
      ]),
      group(
        2,
        'backup',
        [
          key(3),
          key(4, {
            status: 'unhealthy',
            reason: 'unhealthy_by_checks',
            error_count: 5,
            available_at: at(480_000),
          }),
        ],
        { status: 'healthy' },
      ),
    ];

    expect(formatHealthReport(groups, NOW)).toBe(
      [
        'openai-primary   Healthy',
        '  sk-…0001 (#1)  Healthy',
        '  sk-…0002 (#2)  Recovering (retry in 45s)',
        'backup           Healthy',
        '  sk-…0003 (#3)  Healthy',
        '  sk-…0004 (#4)  Unhealthy (5 failures, retry in 8m)',
        '',
        '2/4 healthy, 1 recovering, 1 down',
        '',
      ].join('\n'),
    );
  });

  it('counts disabled keys apart and copes with no groups', () => {
    expect(
      overallLine([group(1, 'a', [key(1), key(2, { status: 'disabled', reason: 'group_disabled' })])]),
    ).toBe('1/1 healthy, 0 recovering, 0 down, 1 disabled');
    expect(formatHealthReport([], NOW)).toBe(
      'No provider groups configured.\n0/0 healthy, 0 recovering, 0 down\n',
    );
  });
});

describe('formatStatsReport', () => {
  it('adds each row’s 24 h traffic in a column, and the total under the summary line', () => {
    const groups = [
      group(
        1,
        'openai-primary',
        [
          key(1, { total_requests_24h: 750, success_rate_24h: 100 }),
          key(2, {
            status: 'recovering',
            reason: 'breaker_open',
            available_at: at(45_000),
            total_requests_24h: 250,
            success_rate_24h: 98,
          }),
        ],
        { total_requests_24h: 1000, success_rate_24h: 99.5 },
      ),
      group(2, 'backup', [
        key(3),
        key(4, { status: 'unhealthy', error_count: 5, available_at: at(480_000) }),
      ]),
    ];

    expect(formatStatsReport(groups, NOW)).toBe(
      [
        'openai-primary   Healthy                              1000 req/24h, 99.5% ok',
        '  sk-…0001 (#1)  Healthy                              750 req/24h, 100% ok',
        '  sk-…0002 (#2)  Recovering (retry in 45s)            250 req/24h, 98% ok',
        'backup           Healthy                              0 req/24h',
        '  sk-…0003 (#3)  Healthy                              0 req/24h',
        '  sk-…0004 (#4)  Unhealthy (5 failures, retry in 8m)  0 req/24h',
        '',
        '2/4 healthy, 1 recovering, 1 down',
        '1000 requests in the last 24 h, 99.5% succeeded',
        '',
      ].join('\n'),
    );
    expect(formatStatsReport([], NOW)).toBe(
      'No provider groups configured.\n0/0 healthy, 0 recovering, 0 down\n',
    );
  });
});
