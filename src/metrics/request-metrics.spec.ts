import { Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics.js';

describe(RequestMetrics.name, () => {
  const observation = {
    model: 'gpt-4o',
    group: 'main',
    status: 200,
    seconds: 0.3,
    promptTokens: 10,
    completionTokens: 4,
  };
  let registry: Registry;
  let sut: RequestMetrics;

  beforeEach(() => {
    registry = new Registry();
    sut = new RequestMetrics();
    sut.register(registry);
  });

  it('renders counters per status and cumulative histogram buckets in the text format', async () => {
    sut.observe(observation);
    sut.observe({ ...observation, status: 502, seconds: 200, ttfbSeconds: 0.07 });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE switchyard_requests_total counter');
    expect(text).toContain('switchyard_requests_total{model="gpt-4o",group="main",status="200"} 1');
    expect(text).toContain('switchyard_requests_total{model="gpt-4o",group="main",status="502"} 1');
    expect(text).toContain('# TYPE switchyard_request_duration_seconds histogram');
    expect(text).toContain(
      'switchyard_request_duration_seconds_bucket{model="gpt-4o",group="main",le="0.25"} 0',
    );
    expect(text).toContain(
      'switchyard_request_duration_seconds_bucket{model="gpt-4o",group="main",le="0.5"} 1',
    );
    expect(text).toContain(
      'switchyard_request_duration_seconds_bucket{model="gpt-4o",group="main",le="120"} 1',
    );
    expect(text).toContain(
      'switchyard_request_duration_seconds_bucket{model="gpt-4o",group="main",le="+Inf"} 2',
    );
    expect(text).toContain('switchyard_request_duration_seconds_sum{model="gpt-4o",group="main"} 200.3');
    expect(text).toContain('switchyard_request_duration_seconds_count{model="gpt-4o",group="main"} 2');
    expect(text).toContain('switchyard_ttfb_seconds_count{model="gpt-4o",group="main"} 1');
    expect(text).toContain('switchyard_tokens_total{model="gpt-4o",group="main",type="prompt"} 20');
    expect(text).toContain('switchyard_tokens_total{model="gpt-4o",group="main",type="completion"} 8');
  });

  it('escapes label values and forgets everything on resetMetrics', async () => {
    sut.observe({ ...observation, model: 'a"b' });
    await expect(registry.metrics()).resolves.toContain('model="a\\"b"');
    registry.resetMetrics();
    await expect(registry.metrics()).resolves.not.toContain('switchyard_requests_total{');
  });
});
