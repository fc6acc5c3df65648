import { Logger } from '@nestjs/common';
import { jest } from '@jest/globals';
import { MetricsService } from '../../metrics/metrics.service.js';
import { RequestLoggingOptions } from '../request-logging.options.js';
import { RequestLoggingSettings } from '../request-logging.settings.js';
import { UsageRecord } from '../usage-record.js';
import { DEFAULT_USAGE_RECORDER_OPTIONS, UsageRecorderOptions } from './usage-recorder.options.js';
import { UsageRecorder } from './usage-recorder.service.js';
import { UsageWriter } from './usage-writer.service.js';

class FakeWriter {
  readonly batches: UsageRecord[][] = [];
  failWith?: Error;
  reachableNow = false;
  refuse?: string;
  delayMs = 0;

  async write(records: readonly UsageRecord[]): Promise<void> {
    await (this.delayMs > 0
      ? new Promise((resolve) => setTimeout(resolve, this.delayMs))
      : Promise.resolve());
    if (this.failWith) throw this.failWith;
    if (records.some((r) => r.requestId === this.refuse)) throw new Error('Data too long');
    this.batches.push([...records]);
  }

  async reachable(): Promise<boolean> {
    return this.reachableNow;
  }

  get written(): string[] {
    return this.batches.flat().map((r) => r.requestId);
  }
}

const settings: RequestLoggingOptions = {
  enabled: true,
  detailedContent: true,
  maxContentLength: 10,
  retentionDays: 30,
};
const record = (i: number, extra: Partial<UsageRecord> = {}): UsageRecord => ({
  requestId: `r${i}`,
  at: new Date(),
  model: 'm',
  pinned: false,
  stream: false,
  status: 200,
  attempts: 1,
  latencyMs: 1,
  endpoint: '/v1/chat/completions',
  ...extra,
});

describe(UsageRecorder.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  let writer: FakeWriter;
  let metrics: MetricsService;
  let sut: UsageRecorder;

  const create = (options: Partial<UsageRecorderOptions> = {}) => {
    writer = new FakeWriter();
    metrics = new MetricsService();
    sut = new UsageRecorder(
      writer as unknown as UsageWriter,
      { current: () => settings } as unknown as RequestLoggingSettings,
      metrics,
      {
        ...DEFAULT_USAGE_RECORDER_OPTIONS,
        flushIntervalMs: 60_000,
        minBackoffMs: 5,
        maxBackoffMs: 20,
        ...options,
      },
    );
    sut.onModuleInit();
  };
  const droppedCount = async (reason: string) =>
    (await metrics.registry.getSingleMetric('switchyard_usage_dropped_total')?.get())?.values.find(
      (v) => v.labels.reason === reason,
    )?.value ?? 0;

  afterEach(() => sut.beforeApplicationShutdown());

  it('writes full batches on its own and the rest on flush, in order', async () => {
    create({ batchSize: 3 });
    for (let i = 0; i < 7; i += 1) sut.push(record(i));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writer.batches.map((b) => b.length)).toEqual([3, 3]);
    await expect(sut.flush()).resolves.toBe(true);
    expect(writer.written).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(sut.backlog).toBe(0);
  });

  it('writes one partial batch per tick under steady traffic, not one per round trip', async () => {
    create({ batchSize: 1000, flushIntervalMs: 50 });
    writer.delayMs = 5; // a write takes time, and records keep arriving meanwhile
    const started = Date.now();
    for (let i = 0; i < 120; i += 1) {
      sut.push(record(i));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const ticks = Math.ceil((Date.now() - started) / 50);
    await expect(sut.flush()).resolves.toBe(true);
    expect(writer.written).toHaveLength(120);
    // About one batch per 50 ms tick (however long a loaded machine took to push them); forcing
    // every round trip would write one every 5 ms.
    expect(writer.batches.length).toBeLessThanOrEqual(ticks + 2);
  });

  it('keeps every record through an outage and writes them once the database is back', async () => {
    create({ batchSize: 2 });
    writer.failWith = new Error('connect ECONNREFUSED');
    for (let i = 0; i < 5; i += 1) sut.push(record(i));
    await expect(sut.flush(60)).resolves.toBe(false);
    expect(sut.backlog).toBe(5);
    writer.failWith = undefined;
    await expect(sut.flush()).resolves.toBe(true);
    expect(writer.written).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('drops the oldest records past its capacity and counts them', async () => {
    create({ queueCapacity: 3, batchSize: 100 });
    for (let i = 0; i < 5; i += 1) sut.push(record(i));
    await expect(sut.flush()).resolves.toBe(true);
    expect(writer.written).toEqual(['r2', 'r3', 'r4']);
    await expect(droppedCount('queue_full')).resolves.toBe(2);
  });

  it('gives up a batch the reachable database keeps refusing, and goes on with the next', async () => {
    create({ batchSize: 2, maxRefusals: 3 });
    writer.refuse = 'r0';
    writer.reachableNow = true;
    for (let i = 0; i < 3; i += 1) sut.push(record(i));
    await expect(sut.flush()).resolves.toBe(true);
    await expect(droppedCount('refused')).resolves.toBe(2);
    expect(writer.written).toEqual(['r2']);
  });

  it('never throws from push, whatever goes wrong inside', () => {
    create();
    jest.spyOn(metrics, 'observeRequest').mockImplementation(() => {
      throw new Error('boom');
    });
    expect(() => sut.push(record(0))).not.toThrow();
  });

  it('cuts bodies at push time so a long outage cannot hold whole bodies in memory', async () => {
    create();
    sut.push(record(0, { requestBody: 'x'.repeat(100_000) }));
    await sut.flush();
    expect(writer.batches[0][0].requestBody?.length).toBeLessThan(1000);
  });

  it('exposes its backlog as the queue depth gauge', async () => {
    create({ batchSize: 100 });
    sut.push(record(0));
    sut.push(record(1));
    const gauge = await metrics.registry.getSingleMetric('switchyard_usage_queue_depth')?.get();
    expect(gauge?.values[0].value).toBe(2);
  });
});
