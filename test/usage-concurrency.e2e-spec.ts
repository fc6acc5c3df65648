import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DbType } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { serializeSqliteTransactions } from '../src/database/serialize-sqlite-transactions.js';
import { UsageWriter } from '../src/stats/recorder/usage-writer.service.js';
import { RequestLoggingOptions } from '../src/stats/request-logging.options.js';
import { describeEachEngine } from './support/engines.js';
import { createTestDatabase, TestDatabase } from './support/mysql.js';
import { usageRecord } from './support/usage-records.js';

// Two replicas write the hourly aggregates of the same buckets at the same moment: each write is
// one atomic upsert that adds to the row (never read, add, write back), so no count is lost.

const LOGGING: RequestLoggingOptions = {
  enabled: false, // aggregates only: nothing else in the transaction takes the write lock first
  detailedContent: false,
  maxContentLength: 100,
  retentionDays: 30,
};
const BATCHES_PER_WRITER = 8;
const RECORDS_PER_BATCH = 25;

describeEachEngine('hourly usage aggregates written by two replicas at once', (engine: DbType) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let sources: DataSource[];

  const open = async () =>
    serializeSqliteTransactions(
      await new DataSource(
        dataSourceOptions({ type: engine, path: join(dataDir, 'usage.db'), url: database?.url() }),
      ).initialize(),
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-usage-'));
    database = engine === 'mysql' ? await createTestDatabase() : undefined;
    sources = [await open()]; // the first migrates
    sources.push(await open());
  });
  afterAll(async () => {
    await Promise.all(sources.map((source) => source.destroy()));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sums every record exactly, in one row per bucket', async () => {
    const hour = new Date(Date.UTC(2026, 10, 29, 14, 0, 0));
    const batch = (writer: number, index: number) =>
      Array.from({ length: RECORDS_PER_BATCH }, (_, i) =>
        usageRecord({
          at: new Date(hour.getTime() + (writer * 1000 + index * 50 + i) * 10),
          model: i % 2 === 0 ? 'm-even' : 'm-odd', // two buckets, taken in the same order by both
          status: i % 5 === 0 ? 502 : 200,
          promptTokens: 3,
          completionTokens: 4,
          totalTokens: 7,
          latencyMs: 10,
        }),
      );
    const batches = sources.map((_, w) => Array.from({ length: BATCHES_PER_WRITER }, (_, b) => batch(w, b)));
    const writers = sources.map((source) => new UsageWriter(source));

    await Promise.all(
      writers.flatMap((writer, w) => batches[w].map((records) => writer.write(records, LOGGING))),
    );

    const all = batches.flat(2);
    const expected = (model: string) => {
      const of = all.filter((record) => record.model === model);
      const failures = of.filter((record) => record.status >= 400).length;
      return {
        model,
        rows: 1,
        requests: of.length,
        successes: of.length - failures,
        failures,
        tokens: of.length * 7,
        latency: of.length * 10,
      };
    };
    const rows: Array<Record<string, string | number>> = await sources[1].query(
      `SELECT model, COUNT(*) AS \`rows\`, SUM(requests) AS requests, SUM(successes) AS successes,
              SUM(failures) AS failures, SUM(total_tokens) AS tokens, SUM(latency_ms_sum) AS latency
         FROM provider_usage_stats GROUP BY model ORDER BY model`,
    );
    const numeric = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([name, value]) => [name, name === 'model' ? value : Number(value)]),
      ),
    );
    expect(numeric).toEqual([expected('m-even'), expected('m-odd')]);
    expect(expected('m-even').failures).toBeGreaterThan(0);
    expect(all).toHaveLength(2 * BATCHES_PER_WRITER * RECORDS_PER_BATCH);
  });
});
