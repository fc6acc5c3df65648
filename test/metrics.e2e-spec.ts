import { Registry } from 'prom-client';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { UsageRecorder } from '../src/stats/recorder/usage-recorder.service.js';
import { describeEachEngine } from './support/engines.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { usageRecord } from './support/usage-records.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

// prom-client has no public parser: a strict reading of the text format's lines is enough here.
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE ([a-zA-Z_:][\w:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    // Prometheus reads NaN and Inf case-insensitively; prom-client writes `Nan`.
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (-?[\d.e+-]+|nan|[+-]?inf)$/i.exec(line);
    if (!sample) throw new Error(`Not Prometheus text format: ${line}`);
    const labels = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found.reduce((sum, s) => sum + s.value, 0);
}

describeEachEngine('GET /metrics', (engine) => {
  let app: TestApp;
  const scrape = async () => {
    const res = await app.http().get('/metrics').expect(200);
    return { ...parseExposition(res.text), text: res.text, contentType: res.headers['content-type'] };
  };

  beforeAll(async () => {
    app = await startTestApp({ engine });
  });
  afterAll(() => app.close());

  it('serves the Prometheus text format without an admin token, every metric typed', async () => {
    const { types, contentType } = await scrape();
    expect(contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(
      Object.fromEntries(
        [...types].filter(([name]) => !name.startsWith('process_') && !name.startsWith('nodejs_')),
      ),
    ).toEqual({
      switchyard_requests_total: 'counter',
      switchyard_request_duration_seconds: 'histogram',
      switchyard_ttfb_seconds: 'histogram',
      switchyard_tokens_total: 'counter',
      switchyard_upstream_attempts_total: 'counter',
      backend_health: 'gauge',
      backend_response_time_seconds: 'gauge',
      circuit_breaker_state: 'gauge',
      consecutive_failures: 'gauge',
      switchyard_usage_dropped_total: 'counter',
      switchyard_usage_queue_depth: 'gauge',
      switchyard_rate_limit_backend: 'gauge',
    });
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
  });

  it('moves the counters and gauges as requests are recorded and health changes', async () => {
    const before = (await scrape()).samples;
    const recorder = app.app.get(UsageRecorder);
    const metrics = app.app.get(MetricsService);
    recorder.push(
      usageRecord({
        requestId: 'metrics-req-1',
        model: 'gpt-4o',
        groupName: 'openai-main',
        status: 200,
        latencyMs: 300,
        ttfbMs: 40,
        promptTokens: 7,
        completionTokens: 3,
      }),
    );
    recorder.push(
      usageRecord({
        requestId: 'metrics-req-2',
        model: 'gpt-4o',
        groupName: 'openai-main',
        status: 502,
        latencyMs: 1200,
        promptTokens: 0,
        completionTokens: 0,
      }),
    );
    metrics.countAttempt('openai-main', 'server_error');
    metrics.setBackendHealth('openai-main', 'gpt-4o', false);
    metrics.observeBackendResponseTime('openai-main', 'gpt-4o', 0.42);
    metrics.setBreakerState('openai-main', 'sk-…abcd', 'open');
    metrics.setConsecutiveFailures('openai-main', 'sk-…abcd', 3);

    const { samples, text } = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      valueOf(samples, name, labels) - valueOf(before, name, labels);
    expect(delta('switchyard_requests_total', { model: 'gpt-4o', group: 'openai-main', status: '200' })).toBe(
      1,
    );
    expect(delta('switchyard_requests_total', { status: '502' })).toBe(1);
    expect(delta('switchyard_request_duration_seconds_count', { model: 'gpt-4o' })).toBe(2);
    expect(delta('switchyard_request_duration_seconds_sum', { model: 'gpt-4o' })).toBeCloseTo(1.5);
    expect(delta('switchyard_ttfb_seconds_count')).toBe(2);
    expect(delta('switchyard_tokens_total', { type: 'prompt' })).toBe(7);
    expect(delta('switchyard_tokens_total', { type: 'completion' })).toBe(3);
    expect(
      delta('switchyard_upstream_attempts_total', { group: 'openai-main', outcome: 'server_error' }),
    ).toBe(1);
    expect(valueOf(samples, 'backend_health', { backend: 'openai-main', model: 'gpt-4o' })).toBe(0);
    expect(valueOf(samples, 'backend_response_time_seconds', { backend: 'openai-main' })).toBe(0.42);
    expect(valueOf(samples, 'circuit_breaker_state', { group: 'openai-main', key: 'sk-…abcd' })).toBe(2);
    expect(valueOf(samples, 'consecutive_failures', { group: 'openai-main' })).toBe(3);
    expect(valueOf(samples, 'switchyard_usage_queue_depth')).toBe(recorder.backlog);
    // Without REDIS_URL the limits are always this replica's own.
    expect(valueOf(samples, 'switchyard_rate_limit_backend', { backend: 'memory' })).toBe(1);
    expect(valueOf(samples, 'switchyard_rate_limit_backend', { backend: 'redis' })).toBe(0);
    expect(text).not.toContain('metrics-req-');
  });

  it('keeps a client-chosen model name out of the labels when no group served it', async () => {
    app.app
      .get(UsageRecorder)
      .push(
        usageRecord({ model: 'no-such-model-x1', groupName: undefined, groupId: undefined, status: 404 }),
      );
    const { samples, text } = await scrape();
    expect(text).not.toContain('no-such-model-x1');
    expect(
      valueOf(samples, 'switchyard_requests_total', { model: 'unrouted', group: 'none', status: '404' }),
    ).toBe(1);
  });
});

describeEachEngine('GET /metrics with METRICS_TOKEN', (engine) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ engine, env: { METRICS_TOKEN: 'scrape-token-123' } });
  });
  afterAll(() => app.close());

  it.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer nope'],
    ['the token without Bearer', 'scrape-token-123'],
  ])('answers 401 to %s', async (_label, header) => {
    const req = app.http().get('/metrics');
    if (header) req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.text).not.toContain('switchyard_requests_total');
  });

  it('serves the metrics with the right bearer token', async () => {
    const res = await app.http().get('/metrics').set('Authorization', 'Bearer scrape-token-123').expect(200);
    expect(res.text).toContain('# TYPE switchyard_requests_total counter');
  });
});
