import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { Agent, fetch } from 'undici';
import { withinDeadline } from '../../common/deadline.js';
import { redactorOfGroups } from '../../common/logging/known-secrets.js';
import { AppConfig } from '../../config/app-config.js';
import { RoutingTable } from '../../routing/routing-table.js';
import { SettingsService } from '../../settings/settings.service.js';
import { guardedLookup, type Lookup, UPSTREAM_LOOKUP } from '../../upstream/guarded-lookup.js';
import { UpstreamUrlRefusedError, type UrlGuardOptions } from '../../upstream/upstream-url-guard.js';
import type { KeyTransition } from '../../key-health/key-health.js';
import { ALERT_DELIVERY_OPTIONS, type AlertDeliveryOptions, retryDelayMs } from './alert-delivery.options.js';
import {
  alertEventFor,
  AlertPayload,
  AlertTestResult,
  buildAlertPayload,
  testPayload,
} from './alert-payload.js';
import {
  ALERTS_DEFAULTS,
  ALERTS_SECTION,
  AlertEvent,
  AlertsOptions,
  AlertWebhook,
  refusalOf,
  validateAlerts,
} from './alerts.settings.js';

const REFUSED = 'address refused: ';

/**
 * Turns key transitions into `unhealthy` / `recovered` webhook calls. `consider` is synchronous
 * and cheap (it runs inside HealthState's transition on the proxy's path); every POST and its
 * retries with exponential back-off run afterwards, on their own.
 */
@Injectable()
export class AlertDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertDispatcher.name);
  // Keys whose last alert said unhealthy: a flapping key alerts once per outage.
  private readonly down = new Set<number>();
  private readonly pending = new Set<Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  private closed = false;
  private readonly urlGuard: UrlGuardOptions;
  // Receivers' host names are resolved through the URL guard, like upstream base URLs.
  private readonly agent: Agent;

  constructor(
    private readonly settings: SettingsService,
    @Inject(ALERT_DELIVERY_OPTIONS) private readonly options: AlertDeliveryOptions,
    config: AppConfig,
    @Optional() @Inject(UPSTREAM_LOOKUP) lookup?: Lookup,
    @Optional() private readonly routing?: RoutingTable,
  ) {
    this.urlGuard = { denyPrivate: config.upstreamDenyPrivate };
    this.agent = new Agent({
      connect: { timeout: options.timeoutMs, lookup: guardedLookup(this.urlGuard, lookup) },
    });
  }

  onModuleInit(): void {
    this.settings.registerSection<AlertsOptions>(ALERTS_SECTION, {
      defaults: ALERTS_DEFAULTS,
      validate: (value) => validateAlerts(value, this.urlGuard),
      // Slack-style webhook URLs are credentials: audit rows never show them.
      secretFields: ['url'],
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const wake of this.sleepers) wake();
    await withinDeadline(Promise.allSettled([...this.pending]), this.options.timeoutMs);
    await this.agent.destroy();
  }

  /** Keys that were already down before this process started (restored state). */
  markDown(keyIds: Iterable<number>): void {
    for (const id of keyIds) this.down.add(id);
  }

  forget(keyIds: Iterable<number>): void {
    for (const id of keyIds) this.down.delete(id);
  }

  /** `detail` fills status and error when the transition has none (a check verdict). */
  consider(t: KeyTransition, detail?: { status?: number; error?: string }): void {
    const event = this.follow(t);
    if (event === undefined) return;
    const payload = this.withoutKnownKeys(buildAlertPayload(event, t, detail));
    const webhooks = this.settings.get<AlertsOptions>(ALERTS_SECTION).webhooks;
    for (const webhook of webhooks) if (webhook.events.includes(event)) this.enqueue(webhook, payload);
  }

  /**
   * Notes whether the key is down now, without sending anything (another replica alerted it);
   * returns the alert the transition calls for.
   */
  follow(t: KeyTransition): AlertEvent | undefined {
    const event = alertEventFor(t, this.down.has(t.ref.keyId));
    if (event === 'unhealthy') this.down.add(t.ref.keyId);
    else if (event === 'recovered') this.down.delete(t.ref.keyId);
    return event;
  }

  /**
   * One POST of a test payload to every configured webhook now, without retries, so the operator
   * sees at once whether each receiver answers.
   */
  async sendTest(actor: string): Promise<AlertTestResult[]> {
    const webhooks = this.settings.get<AlertsOptions>(ALERTS_SECTION).webhooks;
    const body = JSON.stringify(testPayload(actor, new Date()));
    return Promise.all(
      webhooks.map(async (webhook, index) => {
        const started = performance.now();
        const refused = refusalOf(webhook.url, this.urlGuard);
        const problem = refused ? `${REFUSED}${refused}` : await this.post(webhook.url, body);
        const latencyMs = Math.round(performance.now() - started);
        const status = problem?.startsWith('HTTP ') ? Number(problem.slice(5)) : problem ? null : 200;
        this.logger.log(`test alert to ${hostOf(webhook.url)}: ${problem ?? 'delivered'}`);
        return {
          index,
          host: hostOf(webhook.url),
          ok: problem === undefined,
          status,
          error: problem ?? null,
          latencyMs,
        };
      }),
    );
  }

  // Messages are redacted where they arise; this is the last gate before text leaves the process.
  private withoutKnownKeys(payload: AlertPayload): AlertPayload {
    if (!this.routing) return payload;
    const redactor = redactorOfGroups(this.routing.current());
    const error = payload.error === null ? null : redactor.redact(payload.error);
    return { ...payload, error, text: redactor.redact(payload.text) };
  }

  /** Resolves once every queued delivery has succeeded or given up (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private enqueue(webhook: AlertWebhook, payload: AlertPayload): void {
    if (this.closed) return;
    if (this.pending.size >= this.options.maxPending) {
      this.logger.warn(
        `alert ${payload.event} for ${payload.group}/${payload.key} dropped: too many deliveries pending`,
      );
      return;
    }
    const delivery = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.deliver(webhook, payload))
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  private async deliver(webhook: AlertWebhook, payload: AlertPayload): Promise<void> {
    const body = JSON.stringify(payload);
    const where = hostOf(webhook.url); // the full URL may be a secret
    // Stored before the guard, or before UPSTREAM_DENY_PRIVATE was turned on: never called.
    const refused = refusalOf(webhook.url, this.urlGuard);
    if (refused) {
      this.logger.error(`alert ${payload.event} not sent: the webhook address is refused (${refused})`);
      return;
    }
    for (let attempt = 1; attempt <= this.options.maxAttempts && !this.closed; attempt += 1) {
      const problem = await this.post(webhook.url, body);
      if (problem === undefined) {
        this.logger.log(`alert ${payload.event} for ${payload.group}/${payload.key} delivered to ${where}`);
        return;
      }
      // A refused address is a configuration error: retrying cannot help.
      if (attempt === this.options.maxAttempts || problem.startsWith(REFUSED)) {
        this.logger.error(`alert ${payload.event} to ${where} given up after ${attempt} tries: ${problem}`);
        return;
      }
      const delay = retryDelayMs(this.options, attempt);
      this.logger.warn(`alert ${payload.event} to ${where} failed (${problem}); retry in ${delay} ms`);
      await this.pause(delay);
    }
  }

  /** undefined on a 2xx, else what went wrong. */
  private async post(url: string, body: string): Promise<string | undefined> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'switchyard-alerts' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
        dispatcher: this.agent,
      });
      await res.body?.cancel().catch(() => undefined);
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; reason?: string } }).cause;
      if (cause instanceof UpstreamUrlRefusedError) return `${REFUSED}${cause.reason}`;
      return cause?.code ?? (error instanceof Error ? error.name : 'error');
    }
  }

  private pause(ms: number): Promise<void> {
    // A post cut short by shutdown lands here after the sleepers were woken: no new timer then,
    // or it would keep the process alive for the whole back-off.
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}
