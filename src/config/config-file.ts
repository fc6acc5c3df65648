import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import {
  DECLARATION_SECTIONS,
  declarationShapeProblems,
  DeclaredConfig,
  plainTextSecretWarnings,
  readDeclarations,
} from './declared-config.js';
import { resolveEnvReferences } from './env-references.js';
import { nearestName } from './nearest-name.js';

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

// The file's nested shape, Section.Key → the environment variable it stands for.
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
// Connection strings are read by `fromConnectionString`, not one variable each.
const CONNECTION_KEYS = ['Database.ConnectionString', 'Database.MySqlConnectionString'];
const WRAPPERS = ['OrchestrationApi', 'Switchyard'];

export interface ConfigFile {
  /** The settings sections as the environment variables they stand for. */
  readonly env: Env;
  /** The `Groups` and `ProxyKeys` sections. */
  readonly declared: DeclaredConfig;
}

/**
 * Reads the optional JSON file named by `CONFIG_FILE`: its settings sections flattened into
 * environment-variable names (so that one parser validates both sources and every error names the
 * variable), and its declared groups and proxy keys. `${NAME}` anywhere in a string is replaced by
 * that variable of `env`; an unset one stops start-up, naming it.
 * A wrapper object (`{"Switchyard": {...}}` or `{"OrchestrationApi": {...}}`) is accepted as well.
 * An unknown section or key stops start-up, naming the nearest known one: a typo is never silent.
 */
export function readConfigFile(
  path: string,
  env: Env = {},
  read: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): ConfigFile {
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
  const fail = (problems: string[]) => {
    if (problems.length > 0)
      throw new ConfigError(problems.map((problem) => `CONFIG_FILE ${path}: ${problem}`));
  };
  fail([...unknownKeys(sections), ...declarationShapeProblems(sections)]);
  const warnings = plainTextSecretWarnings(sections).map((warning) => `CONFIG_FILE ${path}: ${warning}`);
  const resolved = resolveEnvReferences(sections, env);
  fail(resolved.problems);
  const { declared, problems } = readDeclarations(resolved.value);
  fail(problems);
  return { env: flattenSections(resolved.value), declared: { ...declared, warnings } };
}

/** One problem per section or key the file shape does not know, with the nearest known name. */
export function unknownKeys(sections: Json): string[] {
  const known = [...Object.keys(FILE_KEYS), ...CONNECTION_KEYS];
  const knownSections = [...new Set(known.map((path) => path.split('.')[0]))];
  const problems: string[] = [];
  for (const [section, value] of Object.entries(sections)) {
    if (section.startsWith('$')) continue; // "$schema" and the like
    if ((DECLARATION_SECTIONS as readonly string[]).includes(section)) continue; // declared-config.ts
    if (!knownSections.includes(section)) {
      const candidates = [...knownSections, ...DECLARATION_SECTIONS, ...WRAPPERS];
      problems.push(unknownProblem('section', section, nearestName(section, candidates)));
      continue;
    }
    if (!isObject(value)) {
      problems.push(`"${section}" must be an object of settings`);
      continue;
    }
    const keys = known.filter((path) => path.startsWith(`${section}.`));
    for (const key of Object.keys(value)) {
      const path = `${section}.${key}`;
      if (!keys.includes(path)) problems.push(unknownProblem('key', path, nearestName(path, keys)));
    }
  }
  return problems;
}

function unknownProblem(what: string, name: string, nearest: string | undefined): string {
  return `unknown ${what} "${name}"${nearest ? ` (did you mean "${nearest}"?)` : ''}`;
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
 * .NET-style connection strings: `Data Source=file.db` (SQLite) and
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
