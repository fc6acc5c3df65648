import { AdminError } from '../../common/admin-error.js';
import { retryDelayMs } from './alert-delivery.options.js';
import { validateAlerts } from './alerts.settings.js';

const OPEN = { denyPrivate: false };

describe('validateAlerts', () => {
  it('accepts http(s) receivers and defaults their events to both', () => {
    expect(
      validateAlerts(
        {
          webhooks: [
            { url: ' https://hooks.example.test/x ' },
            { url: 'http://127.0.0.1:9/h', events: ['recovered', 'recovered'] },
          ],
        },
        OPEN,
      ),
    ).toEqual({
      webhooks: [
        { url: 'https://hooks.example.test/x', events: ['unhealthy', 'recovered'] },
        { url: 'http://127.0.0.1:9/h', events: ['recovered'] },
      ],
    });
    expect(validateAlerts({}, OPEN)).toEqual({ webhooks: [] });
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
    [
      { webhooks: [{ url: 'http://169.254.169.254/latest/meta-data' }] },
      'alerts.webhooks[0].url is refused: 169.254.169.254 is a cloud metadata or link-local address',
    ],
    [{ webhooks: [{ url: 'http://[::ffff:a9fe:a9fe]/' }] }, 'alerts.webhooks[0].url is refused'],
  ])('refuses %j', (value, message) => {
    expect(() => validateAlerts(value, OPEN)).toThrow(AdminError);
    expect(() => validateAlerts(value, OPEN)).toThrow(message);
  });

  it('refuses a private receiver only with denyPrivate, naming the host but not the URL path', () => {
    const value = { webhooks: [{ url: 'http://10.1.2.3/hooks/T0/B0/secret-token' }] };
    expect(validateAlerts(value, OPEN).webhooks).toHaveLength(1);
    expect(() => validateAlerts(value, { denyPrivate: true })).toThrow(
      /10\.1\.2\.3 is a loopback or private/,
    );
    expect(() => validateAlerts(value, { denyPrivate: true })).not.toThrow(/secret-token/);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap', () => {
    const options = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 500, timeoutMs: 1000, maxPending: 10 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(options, n))).toEqual([100, 200, 400, 500, 500]);
  });
});
