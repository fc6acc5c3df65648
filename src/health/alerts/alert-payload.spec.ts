import type { KeyTransition } from '../../key-health/key-health.js';
import { alertEventFor, buildAlertPayload } from './alert-payload.js';

const AT = Date.UTC(2025, 0, 1, 12, 0, 0);
const transition = (over: Partial<KeyTransition>): KeyTransition => ({
  at: AT,
  ref: { groupId: 1, groupName: 'openai-primary', keyId: 11, masked: 'sk-…abcd' },
  from: 'closed',
  to: 'open',
  reason: 'failure_threshold',
  consecutiveFailures: 3,
  ...over,
});

describe('alertEventFor', () => {
  it('alerts unhealthy when a key that was up leaves rotation, once per outage', () => {
    expect(alertEventFor(transition({ to: 'open' }), false)).toBe('unhealthy');
    expect(alertEventFor(transition({ to: 'invalid', reason: 'marked_invalid' }), false)).toBe('unhealthy');
    expect(alertEventFor(transition({ to: 'unhealthy', reason: 'marked_unhealthy' }), false)).toBe(
      'unhealthy',
    );
    expect(
      alertEventFor(transition({ from: 'half_open', to: 'open', reason: 'trial_failed' }), true),
    ).toBeUndefined();
  });

  it('alerts recovered only when a key that was down is closed again', () => {
    expect(
      alertEventFor(transition({ from: 'half_open', to: 'closed', reason: 'success_threshold' }), true),
    ).toBe('recovered');
    expect(alertEventFor(transition({ from: 'unhealthy', to: 'closed', reason: 'recovered' }), true)).toBe(
      'recovered',
    );
    expect(
      alertEventFor(transition({ from: 'invalid', to: 'open', reason: 'marked_valid' }), true),
    ).toBeUndefined();
    expect(
      alertEventFor(transition({ from: 'open', to: 'half_open', reason: 'backoff_elapsed' }), true),
    ).toBeUndefined();
    expect(
      alertEventFor(transition({ from: 'half_open', to: 'closed', reason: 'success_threshold' }), false),
    ).toBeUndefined();
  });

  it('never alerts on a 429 cooldown', () => {
    expect(
      alertEventFor(transition({ from: 'closed', to: 'closed', reason: 'rate_limited', status: 429 }), true),
    ).toBeUndefined();
  });
});

describe('buildAlertPayload', () => {
  it('carries the fields of ROUTING.md and a one-line Slack text', () => {
    const payload = buildAlertPayload(
      'unhealthy',
      transition({
        status: 500,
        message: 'upstream answered 500:\n  internal error',
        nextRetryAt: AT + 60_000,
      }),
    );

    expect(payload).toEqual({
      event: 'unhealthy',
      group: 'openai-primary',
      key: 'sk-…abcd',
      status_code: 500,
      error: 'upstream answered 500: internal error',
      at: '2025-01-01T12:00:00.000Z',
      reason: 'failure_threshold',
      text: ':red_circle: Switchyard: key sk-…abcd of group openai-primary is unhealthy (circuit opened after consecutive failures, retry in 60s): HTTP 500: upstream answered 500: internal error',
    });
    expect(payload.text).not.toContain('\n');
  });

  it('takes status and error from the check when the verdict carries none, and never a secret', () => {
    const payload = buildAlertPayload(
      'unhealthy',
      transition({ to: 'unhealthy', reason: 'marked_unhealthy' }),
      {
        status: 401,
        error: 'Incorrect API key provided: sk-live-abcdefghijklmnop',
      },
    );

    expect(payload.status_code).toBe(401);
    expect(JSON.stringify(payload)).not.toContain('sk-live-abcdefghijklmnop');
    expect(payload.text).toContain('failed its scheduled health checks');
  });

  it('sends a recovery without an error', () => {
    const payload = buildAlertPayload(
      'recovered',
      transition({ from: 'unhealthy', to: 'closed', reason: 'recovered' }),
      { status: 200, error: 'old failure' },
    );

    expect(payload).toMatchObject({ event: 'recovered', status_code: 200, error: null });
    expect(payload.text).toBe(
      ':large_green_circle: Switchyard: key sk-…abcd of group openai-primary recovered (health check passed)',
    );
  });
});
