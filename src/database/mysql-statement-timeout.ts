import { DataSource, QueryRunner } from 'typeorm';

/** `queryRunner.data` key: this runner's statement timeout in ms, instead of the default. */
export const STATEMENT_TIMEOUT_MS = 'statementTimeoutMs';

/** The error a stalled statement fails with; its connection is gone, the next one is new. */
export const STATEMENT_TIMEOUT_CODE = 'ERR_STATEMENT_TIMEOUT';

interface SocketConnection {
  destroy(): void;
  stream?: { destroy(error?: Error): void };
}

/**
 * On MySQL, a statement that has had no answer for its timeout destroys its connection: a socket
 * that stalls without closing (a dead network path, a frozen server) would otherwise hold the
 * statement, and its pooled connection, forever. mysql2's own query timeout is no substitute: it
 * fails the callback but leaves the connection wedged behind the unanswered command. Destroying
 * the socket fails the statement (and anything queued behind it, such as the ROLLBACK) at once and
 * takes the connection out of the pool, so a retry dials a fresh one. Installed after migrations,
 * which may legitimately run long. SQLite needs none of this (a lock wait is bounded by its busy
 * timeout).
 */
export function timeOutStalledMysqlStatements(dataSource: DataSource, defaultTimeoutMs: number): DataSource {
  if (dataSource.options.type !== 'mysql') return dataSource;
  const driver = dataSource.driver as unknown as { createQueryRunner(mode: string): QueryRunner };
  const createQueryRunner = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => withStatementTimeout(createQueryRunner(mode), defaultTimeoutMs);
  return dataSource;
}

function withStatementTimeout(runner: QueryRunner, defaultTimeoutMs: number): QueryRunner {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  runner.query = (async (...args: unknown[]) => {
    const connection = (await runner.connect()) as SocketConnection;
    const timeoutMs = (runner.data?.[STATEMENT_TIMEOUT_MS] as number | undefined) ?? defaultTimeoutMs;
    const timer = setTimeout(cutStalled, timeoutMs, connection, timeoutMs);
    // A guard, not work: a statement still waiting when the process ends must not keep it alive.
    timer.unref();
    try {
      return await query(...args);
    } finally {
      clearTimeout(timer);
    }
  }) as QueryRunner['query'];
  return runner;
}

function cutStalled(connection: SocketConnection, timeoutMs: number): void {
  const error = Object.assign(
    new Error(`no answer from the database in ${timeoutMs} ms; connection closed`),
    {
      code: STATEMENT_TIMEOUT_CODE,
      fatal: true,
    },
  );
  connection.destroy(); // out of the pool first, so it is never handed out again
  connection.stream?.destroy(error); // fails the waiting statement with `error`
}
