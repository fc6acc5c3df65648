import sqlite3 from 'sqlite3';
import { DataSource, Like } from 'typeorm';
import { RequestLog } from '../../src/stats/entities/request-log.entity.js';
import { UsageRecorder } from '../../src/stats/recorder/usage-recorder.service.js';
import { ENGINES } from '../support/engines.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { usageRecord, waitFor } from '../support/usage-records.js';

// The app's SQLite busy timeout is 5 s; three failed tries used to drop a batch as "refused".
const LOCK_HELD_MS = 20_000;

function logCount(app: TestApp, prefix: string): Promise<number> {
  return app.app
    .get(DataSource)
    .getRepository(RequestLog)
    .count({ where: { requestId: Like(`${prefix}%`) } });
}

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('usage records through a busy SQLite database [sqlite]', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ engine: 'sqlite' });
  });
  afterAll(() => app.close());

  it('keeps every usage record while another connection holds the write lock longer than the busy timeout', async () => {
    const sut = app.app.get(UsageRecorder);
    const locker = new sqlite3.Database(app.config.database.path);
    try {
      await run(locker, 'PRAGMA busy_timeout = 10000; BEGIN EXCLUSIVE');
      for (let i = 0; i < 20; i += 1)
        sut.push(usageRecord({ requestId: `locked-${i}`, model: 'busy-model' }));
      await sleep(LOCK_HELD_MS);
      expect(app.logs.text).toContain('SQLITE_BUSY');
      expect(sut.backlog).toBe(20);
      await run(locker, 'COMMIT');
    } finally {
      await new Promise((resolve) => locker.close(resolve));
    }
    await waitFor(() => sut.backlog === 0, 20_000, 'the backlog to drain');
    await expect(logCount(app, 'locked-')).resolves.toBe(20);
    expect(app.logs.text).not.toContain('dropped');
  }, 90_000);
});

(ENGINES.includes('mysql') ? describe : describe.skip)(
  'usage records through a stalled MySQL connection [mysql]',
  () => {
    let proxy: TcpProxy;
    let app: TestApp;

    beforeAll(async () => {
      proxy = await new TcpProxy('127.0.0.1', 3306).start();
      app = await startTestApp({ engine: 'mysql', mysqlHostPort: proxy.hostPort });
    });
    afterAll(async () => {
      proxy.restore();
      await app.close();
      await proxy.stop();
    });

    it('writes every usage record within seconds of the network coming back after a connection stalled mid-write', async () => {
      const sut = app.app.get(UsageRecorder);
      for (let i = 0; i < 50; i += 1) sut.push(usageRecord({ requestId: `warm-${i}`, model: 'stall-model' }));
      await sut.flush();

      proxy.stall();
      for (let i = 0; i < 200; i += 1)
        sut.push(usageRecord({ requestId: `stalled-${i}`, model: 'stall-model' }));
      await sleep(4000); // the writer has sent its transaction into the stall
      expect(sut.backlog).toBe(200);

      proxy.restore();
      const restoredAt = Date.now();
      await waitFor(() => sut.backlog === 0, 30_000, 'the backlog to drain after the stall');
      expect(Date.now() - restoredAt).toBeLessThan(15_000);
      await expect(logCount(app, 'stalled-')).resolves.toBe(200);
      expect(app.logs.text).not.toContain('dropped');
    }, 90_000);
  },
);
