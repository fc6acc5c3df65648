import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { STATEMENT_TIMEOUT_MS } from '../../database/mysql-statement-timeout.js';
import { toDbDateTime } from '../db-values.js';
import { RequestLog } from '../entities/request-log.entity.js';
import { RequestLoggingOptions } from '../request-logging.options.js';
import { UsageRecord } from '../usage-record.js';
import { toRequestLogRow } from './request-log-row.js';
import { aggregateHourly, UsageBucket } from './usage-buckets.js';
import { buildUsageUpsert, SqlEngine } from './usage-upsert.js';

// Bounded statements: 50 rows × 2 bodies of ≤ 64 KB stay far below MySQL's max_allowed_packet,
// and 100 buckets × 14 values below SQLite's parameter limit.
const LOG_ROWS_PER_INSERT = 50;
const BUCKETS_PER_UPSERT = 100;
// A usage statement takes milliseconds; one this late is stuck on a stalled connection.
const WRITER_STATEMENT_TIMEOUT_MS = 10_000;

/** Writes one batch of usage records in one transaction: log rows, then hourly aggregates. */
@Injectable()
export class UsageWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get engine(): SqlEngine {
    return this.dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  async write(records: readonly UsageRecord[], options: RequestLoggingOptions): Promise<void> {
    // A fixed lock order, so two replicas upserting the same hours cannot deadlock.
    const buckets = aggregateHourly(records).sort(compareBuckets);
    await this.inTransaction(async (manager) => {
      // Rows are built (and redacted) chunk by chunk: the event loop breathes between inserts.
      for (let i = 0; options.enabled && i < records.length; i += LOG_ROWS_PER_INSERT) {
        const rows = records
          .slice(i, i + LOG_ROWS_PER_INSERT)
          .map((record) => toRequestLogRow(record, options));
        await this.insertLogRows(manager, rows);
      }
      for (let i = 0; i < buckets.length; i += BUCKETS_PER_UPSERT) {
        const { sql, parameters } = buildUsageUpsert(this.engine, buckets.slice(i, i + BUCKETS_PER_UPSERT));
        await manager.query(sql, parameters);
      }
    });
  }

  // A plain multi-row INSERT: TypeORM's query builder cost more CPU per row than the proxying
  // itself (measured), and these rows need none of its conversions beyond dates and booleans.
  // On SQLite the values are written as literals: binding 26 parameters a row cost the main
  // thread ~30 µs a row in the sqlite3 driver, literals ~8 µs (measured); mysql2 formats its
  // parameters in JavaScript anyway.
  private async insertLogRows(manager: EntityManager, rows: readonly Partial<RequestLog>[]): Promise<void> {
    const columns = this.dataSource.getMetadata(RequestLog).columns.filter((column) => !column.isGenerated);
    const into = `INSERT INTO request_logs (${columns.map((column) => column.databaseName).join(', ')}) VALUES `;
    const valuesOf = (row: Partial<RequestLog>) =>
      columns.map((column) => toParameter(row[column.propertyName as keyof RequestLog]));
    if (this.engine === 'sqlite') {
      await manager.query(
        into + rows.map((row) => `(${valuesOf(row).map(sqliteLiteral).join(', ')})`).join(', '),
      );
      return;
    }
    const placeholders = `(${columns.map(() => '?').join(', ')})`;
    await manager.query(into + rows.map(() => placeholders).join(', '), rows.flatMap(valuesOf));
  }

  /** Tells an outage (keep retrying) from a batch the database refuses. */
  async reachable(): Promise<boolean> {
    try {
      await this.onOwnConnection((manager) => manager.query('SELECT 1'));
      return true;
    } catch {
      return false;
    }
  }

  // SQLite: the shared connection's transactions take turns (a lock held elsewhere makes a
  // statement wait up to the busy timeout, then fail SQLITE_BUSY: retried by the recorder).
  private inTransaction(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    if (this.engine === 'sqlite') return this.dataSource.transaction(work);
    return this.onOwnConnection((manager) => manager.transaction(work));
  }

  // MySQL: a connection of our own whose statements time out early, so a stalled socket costs
  // one retry after WRITER_STATEMENT_TIMEOUT_MS instead of holding the writer (and the backlog).
  private async onOwnConnection<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.engine === 'sqlite') return work(this.dataSource.manager);
    const runner = this.dataSource.createQueryRunner();
    runner.data = { ...runner.data, [STATEMENT_TIMEOUT_MS]: WRITER_STATEMENT_TIMEOUT_MS };
    try {
      return await work(runner.manager);
    } finally {
      await runner.release();
    }
  }
}

function toParameter(value: unknown): unknown {
  if (value instanceof Date) return toDbDateTime(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? null;
}

/** A value as an SQLite literal: numbers as they are, text quoted ('' escapes '), no NUL bytes. */
export function sqliteLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  return `'${String(value).replaceAll("'", "''").replaceAll('\0', '')}'`;
}

function compareBuckets(a: UsageBucket, b: UsageBucket): number {
  return (
    a.hourStart.getTime() - b.hourStart.getTime() ||
    a.groupId - b.groupId ||
    a.upstreamKeyId - b.upstreamKeyId ||
    (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) ||
    a.proxyKeyId - b.proxyKeyId
  );
}
