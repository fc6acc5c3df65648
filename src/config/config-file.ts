import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

// Seed 004's nested file shape, section.key → the environment variable it stands for.
const FILE_KEYS: Record<string, string> = {
  'Server.Host': 'HOST',
  'Server.Port': 'PORT',
  'Auth.Username': 'ADMIN_USERNAME',
  'Auth.Password': 'ADMIN_PASSWORD',
  'Auth.JwtSecret': 'JWT_SECRET',
  'Auth.JwtExpiresIn': 'JWT_EXPIRES_IN',
  'Auth.EncryptionKey': 'ENCRYPTION_KEY',
  'Database.Type': 'DB_TYPE',
  'Database.Path': 'DB_PATH',
  'Global.Timeout': 'GLOBAL_TIMEOUT',
  'Global.Retries': 'GLOBAL_RETRIES',
  'Global.BalancePolicy': 'BALANCE_POLICY',
  'RequestLogging.Enabled': 'REQUEST_LOGGING_ENABLED',
  'RequestLogging.EnableDetailedContent': 'REQUEST_LOGGING_DETAILED',
  'RequestLogging.MaxContentLength': 'REQUEST_LOGGING_MAX_CONTENT_LENGTH',
  'Redis.Url': 'REDIS_URL',
};

/**
 * Reads the optional JSON file named by `CONFIG_FILE` and flattens it into environment-variable
 * names, so that one parser validates both sources and every error names the variable.
 * The seed's own wrapper object (`{"OrchestrationApi": {...}}`) is accepted as well.
 */
export function readConfigFile(
  path: string,
  read: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Env {
  let root: unknown;
  try {
    root = JSON.parse(read(path));
  } catch (error) {
    throw new ConfigError([`CONFIG_FILE ${path} could not be read as JSON: ${(error as Error).message}`]);
  }
  if (!isObject(root)) throw new ConfigError([`CONFIG_FILE ${path} must hold a JSON object`]);
  const sections = isObject(root.OrchestrationApi)
    ? root.OrchestrationApi
    : isObject(root.Switchyard)
      ? root.Switchyard
      : root;
  return flattenSections(sections);
}

export function flattenSections(sections: Json): Env {
  const env: Env = {};
  for (const [path, variable] of Object.entries(FILE_KEYS)) {
    const [section, key] = path.split('.');
    const value = isObject(sections[section]) ? sections[section][key] : undefined;
    if (value !== undefined && value !== null) env[variable] = String(value);
  }
  const database = isObject(sections.Database) ? sections.Database : {};
  const connection = database.MySqlConnectionString ?? database.ConnectionString;
  if (typeof connection === 'string') Object.assign(env, fromConnectionString(connection));
  return env;
}

/**
 * The seed's .NET connection strings: `Data Source=file.db` (SQLite) and
 * `Server=h;Port=p;Database=d;Uid=u;Pwd=p;` (MySQL). A `mysql://` URL passes through.
 */
export function fromConnectionString(connection: string): Env {
  if (/^mysql:\/\//i.test(connection)) return { DATABASE_URL: connection };
  const parts = new Map<string, string>();
  for (const pair of connection.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) parts.set(pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim());
  }
  const dataSource = parts.get('data source');
  if (dataSource) return { DB_PATH: dataSource };
  const host = parts.get('server') ?? parts.get('host');
  if (!host) return {};
  const user = encodeURIComponent(parts.get('uid') ?? parts.get('user id') ?? parts.get('user') ?? 'root');
  const password = parts.get('pwd') ?? parts.get('password');
  const auth = password ? `${user}:${encodeURIComponent(password)}` : user;
  const port = parts.get('port') ?? '3306';
  return { DATABASE_URL: `mysql://${auth}@${host}:${port}/${parts.get('database') ?? 'switchyard'}` };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
