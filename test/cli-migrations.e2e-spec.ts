import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { describeEachEngine } from './support/engines.js';
import { createTestDatabase, TestDatabase } from './support/mysql.js';

const execFileAsync = promisify(execFile);

// The built CLI's schema commands, as the Docker image runs them: no TypeScript toolchain.
describeEachEngine('switchyard migrate / migration:show / migration:revert', (engine) => {
  let dir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string | undefined>;

  const cli = async (command: string) =>
    (await execFileAsync(process.execPath, ['dist/cli/main.js', command], { env, timeout: 60_000 })).stdout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
    database = engine === 'mysql' ? await createTestDatabase() : undefined;
    env = {
      PATH: process.env.PATH,
      DB_TYPE: engine,
      DB_PATH: join(dir, 'sy.db'),
      DATABASE_URL: database?.url(),
    };
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows, applies, reverts and re-applies migrations', async () => {
    const names = MIGRATIONS.map((migration) => migration.name);
    expect(await cli('migration:show')).toBe(
      `${names.map((name) => `[ ] ${name}`).join('\n')}\n${names.length} pending\n`,
    );
    expect(await cli('migrate')).toBe(names.map((name) => `Applied ${name}\n`).join(''));
    expect(await cli('migrate')).toBe('No pending migrations.\n');
    expect(await cli('migration:revert')).toBe(`Reverted ${names.at(-1)}\n`);
    expect((await cli('migration:show')).split('\n').slice(-3)).toEqual([
      `[ ] ${names.at(-1)}`,
      '1 pending',
      '',
    ]);
    expect(await cli('migrate')).toBe(`Applied ${names.at(-1)}\n`);
  });
});
