import { explain, keyLabel, keyState } from './key-state.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('key dots', () => {
  it('maps every routability reason to one of the five states', () => {
    expect(keyState('ok')).toBe('healthy');
    expect(keyState('half_open')).toBe('recovering');
    expect(keyState('cooling_down_429')).toBe('recovering');
    expect(keyState('breaker_open')).toBe('open');
    expect(keyState('unhealthy_by_checks')).toBe('open');
    expect(keyState('invalid_credentials')).toBe('invalid');
    expect(keyState('disabled')).toBe('disabled');
    expect(keyState('group_disabled')).toBe('disabled');
  });

  it('counts down to the end of a time-bound block', () => {
    const open = { enabled: true, reason: 'breaker_open' as const, availableAt: at(65_000) };
    expect(keyLabel(open, NOW)).toBe('open · 1:05');
    expect(keyLabel({ ...open, reason: 'cooling_down_429' }, NOW)).toBe('recovering · 1:05');
    expect(keyLabel(open, NOW + 70_000)).toBe('open · now');
    expect(keyLabel({ enabled: true, reason: 'ok', availableAt: null }, NOW)).toBe('healthy');
  });

  it('explains why a key is out of rotation', () => {
    const open = explain({
      enabled: true,
      reason: 'breaker_open',
      availableAt: at(60_000),
      consecutiveFailures: 3,
      lastError: 'upstream answered 500',
    });
    expect(open).toMatch(/^open until \d\d:\d\d:\d\d, 3 failures: upstream answered 500$/);
    expect(
      explain({ enabled: true, reason: 'invalid_credentials', availableAt: null, lastStatusCode: 401 }),
    ).toBe('invalid: upstream answered 401');
    expect(explain({ enabled: false, reason: 'disabled', availableAt: null })).toBe('key disabled');
  });
});
