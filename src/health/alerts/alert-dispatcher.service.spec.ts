import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AuditService } from '../../audit/audit.service.js';
import type { AppConfig } from '../../config/app-config.js';
import { SettingsService } from '../../settings/settings.service.js';
import type { KeyTransition } from '../../key-health/key-health.js';
import type { AlertDeliveryOptions } from './alert-delivery.options.js';
import { AlertDispatcher } from './alert-dispatcher.service.js';
import { ALERTS_SECTION } from './alerts.settings.js';

const OPTIONS: AlertDeliveryOptions = {
  maxAttempts: 5,
  // Far longer than the test: a retry that sleeps after shutdown would keep it (and Jest) waiting.
  baseDelayMs: 60_000,
  maxDelayMs: 60_000,
  // Long enough that the first try is still waiting on the receiver when shutdown begins.
  timeoutMs: 3000,
  maxPending: 10,
};

const OPENED: KeyTransition = {
  at: Date.now(),
  ref: { groupId: 1, groupName: 'g', keyId: 1, masked: 'sk-…abcd' },
  from: 'closed',
  to: 'open',
  reason: 'failure_threshold',
  consecutiveFailures: 3,
};

describe(AlertDispatcher.name, () => {
  let receiver: Server;
  const received: IncomingMessage[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    // Takes every POST and never answers it: each try ends by the dispatcher's own timeout.
    receiver = createServer((req) => received.push(req));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('stops retrying at shutdown instead of sleeping out the back-off of a try cut short', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const stored = new Map([[ALERTS_SECTION, { webhooks: [{ url, events: ['unhealthy'] }] }]]);
    const settings = new SettingsService(stored, {} as AuditService, new EventEmitter2());
    const sut = new AlertDispatcher(settings, OPTIONS, { upstreamDenyPrivate: false } as AppConfig);
    sut.onModuleInit();

    sut.consider(OPENED);
    await waitUntil(() => received.length === 1);
    await sut.onModuleDestroy();

    const settled = await Promise.race([sut.idle().then(() => true), delay(2000).then(() => false)]);
    expect(settled).toBe(true);
    expect(received).toHaveLength(1);
  }, 15_000);
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error('condition not met within 5 s');
    await delay(10);
  }
}
