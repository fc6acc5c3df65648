import { AdminError } from '../../common/admin-error.js';
import { retryDelayMs } from './alert-delivery.options.js';
import { validateAlerts } from './alerts.settings.js';

describe('validateAlerts', () => {
  it('accepts http(s) receivers and defaults their events to both', () => {
    expect(
      validateAlerts({
        webhooks: [
          { url: ' https://hooks.example.test/x ' },
          { url: 'http://127.0.0.1:9/h', events: ['recovered', 'recovered'] },
        ],
      }),
    ).toEqual({
      webhooks: [
        { url: 'https://hooks.example.test/x', events: ['unhealthy', 'recovered'] },
        { url: 'http://127.0.0.1:9/h', events: ['recovered'] },
      ],
    });
    expect(validateAlerts({})).toEqual({ webhooks: [] });
  });

  it.each([
    [{ webhooks: [{ url: 'ftp://example.test/x' }] }, 'alerts.webhooks[0].url must be an http(s) URL'],
    [{ webhooks: [{ url: 'not a url' }] }, 'alerts.webhooks[0].url'],
    [
      { webhooks: [{ url: 'https://a.test', events: ['down'] }] },
      'alerts.webhooks[0].events must be a non-empty list',
    ],
    [{ webhooks: [{ url: 'https://a.test', events: [] }] }, 'alerts.webhooks[0].events'],
    [{ webhooks: [{ url: 'https://a.test', secret: 'x' }] }, 'alerts.webhooks[0] has unknown fields: secret'],
    [{ webhooks: 'https://a.test' }, 'alerts.webhooks must be an array'],
    [{ hooks: [] }, 'alerts has unknown fields: hooks'],
    [[], 'alerts must be an object'],
  ])('refuses %j', (value, message) => {
    expect(() => validateAlerts(value)).toThrow(AdminError);
    expect(() => validateAlerts(value)).toThrow(message);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap', () => {
    const options = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 500, timeoutMs: 1000, maxPending: 10 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(options, n))).toEqual([100, 200, 400, 500, 500]);
  });
});
