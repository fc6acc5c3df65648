import { mkdtempSync as makeTempDir, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';
import { fromConnectionString } from './config-file.js';
import { editDistance, nearestName } from './nearest-name.js';
import { parseConfig } from './parse-config.js';
import { decodeKey, resolveSecrets } from './secrets.js';
import { parseByteSize, parseDurationSeconds } from './units.js';

const tempDirs: string[] = [];
const mkdtempSync = (prefix: string): string => {
  const dir = makeTempDir(prefix);
  tempDirs.push(dir);
  return dir;
};
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    parseConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe(parseConfig.name, () => {
  it('gives API.md §5 defaults with an empty environment', () => {
    const sut = parseConfig({}, '/srv');
    expect(sut).toMatchObject({
      host: '0.0.0.0',
      port: 3000,
      production: false,
      database: { type: 'sqlite', path: '/srv/data/switchyard.db' },
      dataDir: '/srv/data',
      admin: { username: 'admin', password: undefined },
      jwt: { secret: undefined, expiresInSeconds: 43200 },
      global: { timeoutSeconds: 60, retries: 3, balancePolicy: 'round_robin' },
      requestLogging: { enabled: true, detailed: false, maxContentLength: 1000 },
      bodyLimitBytes: 10 * 1024 * 1024,
      bodyReadTimeoutMs: 30_000,
      headersTimeoutMs: 20_000,
      trustProxy: ['loopback'],
      logLevel: 'info',
      corsOrigins: [],
      upstreamDenyPrivate: false,
    });
    expect(sut.breaker).toMatchObject({
      failureThreshold: 3,
      failureWindowMs: 60_000,
      baseBackoffMs: 60_000,
      maxBackoffMs: 600_000,
      jitter: 0.2,
      successThreshold: 2,
    });
  });

  it('reads every variable', () => {
    const sut = parseConfig(
      {
        PORT: '8080',
        HOST: '127.0.0.1',
        DB_TYPE: 'mysql',
        DATABASE_URL: 'mysql://root@db:3306/switchyard',
        ADMIN_USERNAME: 'ops',
        ADMIN_PASSWORD: 'pw',
        JWT_EXPIRES_IN: '30m',
        REDIS_URL: 'redis://127.0.0.1:6379',
        GLOBAL_TIMEOUT: '30',
        GLOBAL_RETRIES: '1',
        BALANCE_POLICY: 'weighted',
        REQUEST_LOGGING_ENABLED: 'false',
        REQUEST_LOGGING_DETAILED: 'true',
        REQUEST_LOGGING_MAX_CONTENT_LENGTH: '50',
        BODY_LIMIT: '512kb',
        LOG_LEVEL: 'debug',
        METRICS_TOKEN: 'm',
        CORS_ORIGINS: 'https://a.example, https://b.example',
        UPSTREAM_DENY_PRIVATE: 'true',
        BODY_READ_TIMEOUT_SECONDS: '5',
        HEADERS_TIMEOUT_SECONDS: '7',
        TRUST_PROXY: '10.0.0.0/8, loopback',
      },
      '/srv',
    );
    expect(sut).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      database: { type: 'mysql', url: 'mysql://root@db:3306/switchyard' },
      admin: { username: 'ops', password: 'pw' },
      jwt: { expiresInSeconds: 1800 },
      redisUrl: 'redis://127.0.0.1:6379',
      global: { timeoutSeconds: 30, retries: 1, balancePolicy: 'weighted' },
      requestLogging: { enabled: false, detailed: true, maxContentLength: 50 },
      bodyLimitBytes: 512 * 1024,
      logLevel: 'debug',
      metricsToken: 'm',
      corsOrigins: ['https://a.example', 'https://b.example'],
      upstreamDenyPrivate: true,
      bodyReadTimeoutMs: 5000,
      headersTimeoutMs: 7000,
      trustProxy: ['10.0.0.0/8', 'loopback'],
    });
  });

  it.each([
    [{ DB_TYPE: 'postgres' }, 'DB_TYPE must be one of sqlite, mysql (got "postgres")'],
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535 (got "eighty")'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [
      { BALANCE_POLICY: 'fastest' },
      'BALANCE_POLICY must be one of round_robin, random, least_used, weighted, latency (got "fastest")',
    ],
    [{ GLOBAL_RETRIES: '-1' }, 'GLOBAL_RETRIES must be an integer from 0 to 10 (got "-1")'],
    [{ REQUEST_LOGGING_ENABLED: 'maybe' }, 'REQUEST_LOGGING_ENABLED must be true or false (got "maybe")'],
    [{ BODY_LIMIT: 'huge' }, 'BODY_LIMIT must be a size such as 512kb or 10mb (got "huge")'],
    [
      { TRUST_PROXY: 'everyone' },
      'TRUST_PROXY must be false, a hop count, or comma-separated addresses/CIDRs (loopback, linklocal, uniquelocal allowed) (got "everyone")',
    ],
    [
      { BODY_READ_TIMEOUT_SECONDS: '0' },
      'BODY_READ_TIMEOUT_SECONDS must be an integer from 1 to 3600 (got "0")',
    ],
    [
      { JWT_EXPIRES_IN: 'soon' },
      'JWT_EXPIRES_IN must be a duration such as 3600, 30m, 12h or 7d (got "soon")',
    ],
    [{ DB_TYPE: 'mysql' }, 'DATABASE_URL is required when DB_TYPE is mysql'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must look like redis://host:6379 (or rediss:// for TLS)'],
    [
      { DB_TYPE: 'mysql', DATABASE_URL: 'postgres://x' },
      'DATABASE_URL must look like mysql://user:password@host:3306/database',
    ],
  ])('refuses %j naming the setting', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ DB_TYPE: 'x', PORT: 'y', LOG_LEVEL: 'loud' })).toHaveLength(3);
  });

  it('reads nested file settings, with environment variables taking precedence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
    const file = join(dir, 'appsettings.json');
    writeFileSync(
      file,
      JSON.stringify({
        OrchestrationApi: {
          Server: { Host: '127.0.0.2', Port: 5000 },
          Auth: { Username: 'boss', Password: 'from-file', JwtSecret: 'file-secret' },
          Database: { Type: 'sqlite', ConnectionString: 'Data Source=Data/orchestration_api.db' },
          Global: { Timeout: 90, Retries: 2, BalancePolicy: 'least_used' },
          RequestLogging: { Enabled: true, EnableDetailedContent: true, MaxContentLength: 2000 },
        },
      }),
    );
    const sut = parseConfig({ CONFIG_FILE: file, PORT: '6000' }, dir);
    expect(sut).toMatchObject({
      host: '127.0.0.2',
      port: 6000,
      admin: { username: 'boss', password: 'from-file' },
      jwt: { secret: 'file-secret' },
      database: { type: 'sqlite', path: join(dir, 'Data/orchestration_api.db') },
      global: { timeoutSeconds: 90, retries: 2, balancePolicy: 'least_used' },
      requestLogging: { enabled: true, detailed: true, maxContentLength: 2000 },
    });
  });

  it('names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => parseConfig({ CONFIG_FILE: 'bad.json' }, dir)).toThrow(
      /CONFIG_FILE .*bad\.json could not be read as JSON/,
    );
  });

  it('validates values from the file like environment variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ Database: { Type: 'oracle' } }));
    expect(() => parseConfig({ CONFIG_FILE: 'c.json' }, dir)).toThrow(
      'DB_TYPE must be one of sqlite, mysql (got "oracle")',
    );
  });

  it('stops on an unknown section or key in the file, naming the nearest known one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
    writeFileSync(
      join(dir, 'typo.json'),
      JSON.stringify({
        $schema: './schema.json',
        Servr: { Port: 3827 },
        Auth: { Username: 'a', JwtSecrett: 'x' },
        Database: { Type: 'sqlite', Pth: './x.db' },
        Colour: 'blue',
        Global: 5,
      }),
    );
    let problems: readonly string[] = [];
    try {
      parseConfig({ CONFIG_FILE: 'typo.json' }, dir);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    const file = join(dir, 'typo.json');
    expect(problems).toEqual([
      `CONFIG_FILE ${file}: unknown section "Servr" (did you mean "Server"?)`,
      `CONFIG_FILE ${file}: unknown key "Auth.JwtSecrett" (did you mean "Auth.JwtSecret"?)`,
      `CONFIG_FILE ${file}: unknown key "Database.Pth" (did you mean "Database.Path"?)`,
      `CONFIG_FILE ${file}: unknown section "Colour"`,
      `CONFIG_FILE ${file}: "Global" must be an object of settings`,
    ]);
  });
});

describe(nearestName.name, () => {
  it.each([
    ['Servr', ['Server', 'Auth'], 'Server'],
    ['server', ['Server', 'Auth'], 'Server'],
    ['Prot', ['Port', 'Host'], 'Port'],
    ['Colour', ['Server', 'Auth', 'Global'], undefined],
    ['x', [], undefined],
  ])('%s among %j → %s', (name, known, expected) => expect(nearestName(name, known)).toBe(expected));

  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Same', 'same')).toBe(0);
  });
});

describe(fromConnectionString.name, () => {
  it('turns the seed MySQL connection string into a URL', () => {
    expect(fromConnectionString('Server=localhost;Database=orchestration_api;Uid=root;Pwd=p@ss;')).toEqual({
      DATABASE_URL: 'mysql://root:p%40ss@localhost:3306/orchestration_api',
    });
  });

  it('passes a mysql:// URL through', () => {
    expect(fromConnectionString('mysql://u@h:1/d')).toEqual({ DATABASE_URL: 'mysql://u@h:1/d' });
  });
});

describe('units', () => {
  it.each([
    ['3600', 3600],
    ['30m', 1800],
    ['12h', 43200],
    ['7d', 604800],
    ['0', undefined],
    ['1w', undefined],
  ])('parses duration %s', (text, seconds) => expect(parseDurationSeconds(text)).toBe(seconds));

  it.each([
    ['1024', 1024],
    ['512kb', 524288],
    ['10mb', 10485760],
    ['1.5MB', 1572864],
    ['0', undefined],
    ['lots', undefined],
  ])('parses size %s', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));
});

describe(resolveSecrets.name, () => {
  it('generates both secrets once outside production and reuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-secrets-'));
    const first = resolveSecrets(parseConfig({ DATA_DIR: dir }, dir));
    const second = resolveSecrets(parseConfig({ DATA_DIR: dir }, dir));
    expect(first.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKey).toHaveLength(32);
    expect(second.jwt.secret).toBe(first.jwt.secret);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toContain(first.jwt.secret);
  });

  it.each([
    [
      {},
      [
        'JWT_SECRET must be set to at least 32 characters when NODE_ENV=production',
        'ENCRYPTION_KEY must be set (32 bytes, base64 or hex) when NODE_ENV=production',
      ],
    ],
    [
      { JWT_SECRET: 'short', ENCRYPTION_KEY: 'a'.repeat(64) },
      ['JWT_SECRET must be set to at least 32 characters when NODE_ENV=production'],
    ],
  ])('refuses missing or short secrets in production: %j', (env, problems) => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-secrets-'));
    const parsed = parseConfig({ NODE_ENV: 'production', DATA_DIR: dir, ...env }, dir);
    expect(() => resolveSecrets(parsed)).toThrow(new ConfigError(problems));
  });

  it('refuses an ENCRYPTION_KEY that is not 32 bytes', () => {
    const parsed = parseConfig({ JWT_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: 'dG9vIHNob3J0' }, '/srv');
    expect(() => resolveSecrets(parsed)).toThrow(
      'ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or base64',
    );
  });

  it('decodes hex and base64 keys', () => {
    expect(decodeKey('ab'.repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(decodeKey(Buffer.alloc(32, 1).toString('base64'))).toEqual(Buffer.alloc(32, 1));
  });
});
