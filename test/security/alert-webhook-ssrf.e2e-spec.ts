import { hostname } from 'node:os';
import { AlertDispatcher } from '../../src/health/alerts/alert-dispatcher.service.js';
import type { KeyTransition } from '../../src/key-health/key-health.js';
import { describeEachEngine } from '../support/engines.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET_PATH = '/services/T000/B000/webhook-secret-token';

const wentDown = (keyId: number): KeyTransition => ({
  at: Date.now(),
  ref: { groupId: 1, groupName: 'g', keyId, masked: 'sk-…abcd' },
  from: 'closed',
  to: 'unhealthy',
  reason: 'marked_unhealthy',
  consecutiveFailures: 3,
});

describeEachEngine('SSRF through alert webhooks', (engine) => {
  let open: TestApp;
  let guarded: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    open = await startTestApp({ engine });
    guarded = await startTestApp({ engine, env: { UPSTREAM_DENY_PRIVATE: 'true' } });
  });
  afterAll(async () => {
    await open.close();
    await guarded.close();
    await receiver.stop();
  });

  const putWebhook = async (app: TestApp, url: string) =>
    app
      .http()
      .put('/admin/settings')
      .set('Authorization', `Bearer ${await app.login()}`)
      .send({ alerts: { webhooks: [{ url }] } });

  it('refuses a webhook URL pointing at the metadata service (as ::ffff:a9fe:a9fe too), never echoing the URL', async () => {
    for (const host of ['169.254.169.254', '[::ffff:a9fe:a9fe]', '[fd00:ec2::254]']) {
      const res = await putWebhook(open, `http://${host}${SECRET_PATH}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/alerts\.webhooks\[0\]\.url is refused: .*cloud metadata/);
      expect(res.text).not.toContain('webhook-secret-token');
    }
    const loopback = await putWebhook(guarded, `${receiver.url}`);
    expect(loopback.status).toBe(400);
    expect(loopback.body.message).toMatch(/127\.0\.0\.1 is a loopback or private address/);
  });

  it('refuses to deliver an alert to a webhook host name that resolves to a loopback address', async () => {
    const port = new URL(receiver.url).port;
    // A name, so it passes at save; the address it resolves to is judged at delivery.
    await putWebhook(guarded, `http://${hostname()}:${port}/hook`).then((res) =>
      expect(res.status).toBe(200),
    );
    const dispatcher = guarded.app.get(AlertDispatcher);
    dispatcher.consider(wentDown(4242));
    await dispatcher.idle();
    expect(receiver.calls).toHaveLength(0);
    expect(guarded.logs.text).toMatch(
      /given up after 1 tries: address refused: .*loopback or private address/,
    );

    // The same receiver, reached through the open gateway, does get the alert: the guard refused it.
    await putWebhook(open, `http://${hostname()}:${port}/hook`).then((res) => expect(res.status).toBe(200));
    const openDispatcher = open.app.get(AlertDispatcher);
    openDispatcher.consider(wentDown(4243));
    await openDispatcher.idle();
    expect(receiver.calls).toHaveLength(1);
  });
});
