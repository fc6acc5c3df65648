// The `Groups` and `ProxyKeys` sections of the configuration file: groups and proxy keys declared
// as code. This file only reads their shape (field names, duplicates, where secrets are written);
// the field rules are the admin API's own, checked when the declarations are applied. Pure.
import { hasEnvReference } from './env-references.js';
import { nearestName } from './nearest-name.js';

type Json = Record<string, unknown>;

/** One declared group or proxy key: its body in the admin API's field names (camelCase). */
export interface DeclaredEntry {
  /** Where it is in the file, e.g. `Groups[0]`: every message about it starts with this. */
  readonly where: string;
  /** `GroupName` or `Name`: what it is matched by in the database. */
  readonly name: string;
  readonly body: Json;
}

export interface DeclaredConfig {
  readonly groups: readonly DeclaredEntry[];
  readonly proxyKeys: readonly DeclaredEntry[];
  /** Secrets written in plain text (never their values), logged when the declarations are applied. */
  readonly warnings: readonly string[];
}

export const NO_DECLARATIONS: DeclaredConfig = { groups: [], proxyKeys: [], warnings: [] };

// File field → admin API field (API.md's group and proxy key bodies, seed 004's names capitalised).
export const GROUP_FILE_FIELDS: Readonly<Record<string, string>> = {
  GroupName: 'groupName',
  ProviderType: 'providerType',
  BaseUrl: 'baseUrl',
  ApiKeys: 'apiKeys',
  Models: 'models',
  ModelMap: 'modelMap',
  BalancePolicy: 'balancePolicy',
  RetryCount: 'retryCount',
  Timeout: 'timeout',
  Priority: 'priority',
  Weight: 'weight',
  Enabled: 'enabled',
  Parameters: 'parameters',
  Headers: 'headers',
  Probe: 'probe',
  ApiVersion: 'apiVersion',
};
const PROBE_FILE_FIELDS: Readonly<Record<string, string>> = { Kind: 'kind', Model: 'model' };
export const PROXY_KEY_FILE_FIELDS: Readonly<Record<string, string>> = {
  Name: 'name',
  Key: 'key',
  Description: 'description',
  Rpm: 'rpm',
  Tpm: 'tpm',
  Enabled: 'enabled',
  ExpiresAt: 'expiresAt',
  AllowedModels: 'allowedModels',
  AllowedGroups: 'allowedGroups',
  TokenBudget: 'tokenBudget',
};

/** The sections this file adds to the settings sections. */
export const DECLARATION_SECTIONS = ['Groups', 'ProxyKeys'] as const;

// A file-declared proxy key is chosen by a person: long enough to be unguessable, and sent in a header.
export const PROXY_KEY_MIN_LENGTH = 32;
const PROXY_KEY_PATTERN = /^[\x21-\x7e]{32,512}$/;
// Header names whose values are credentials: written in plain text, they earn a warning.
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|password/i;

/** Unknown sections' shapes and field names, each with the nearest known name. */
export function declarationShapeProblems(sections: Json): string[] {
  const problems: string[] = [];
  entriesOf(sections, 'Groups', problems).forEach(([where, entry]) => {
    problems.push(...unknownFields(where, entry, GROUP_FILE_FIELDS));
    if (isObject(entry.Probe))
      problems.push(...unknownFields(`${where}.Probe`, entry.Probe, PROBE_FILE_FIELDS));
  });
  entriesOf(sections, 'ProxyKeys', problems).forEach(([where, entry]) =>
    problems.push(...unknownFields(where, entry, PROXY_KEY_FILE_FIELDS)),
  );
  return problems;
}

/** Secrets given in plain text rather than as `${NAME}` (read before the references are resolved). */
export function plainTextSecretWarnings(sections: Json): string[] {
  const plain: string[] = [];
  for (const [where, group] of entriesOf(sections, 'Groups', [])) {
    if (Array.isArray(group.ApiKeys))
      group.ApiKeys.forEach((key, index) => {
        if (typeof key === 'string' && !hasEnvReference(key)) plain.push(`${where}.ApiKeys[${index}]`);
      });
    if (isObject(group.Headers))
      for (const [name, value] of Object.entries(group.Headers))
        if (CREDENTIAL_HEADER.test(name) && typeof value === 'string' && !hasEnvReference(value))
          plain.push(`${where}.Headers.${name}`);
  }
  for (const [where, proxyKey] of entriesOf(sections, 'ProxyKeys', []))
    if (typeof proxyKey.Key === 'string' && !hasEnvReference(proxyKey.Key)) plain.push(`${where}.Key`);
  return plain.map(
    (at) => `${at} is a secret written in plain text; write it as \${NAME} and set NAME in the environment`,
  );
}

/**
 * The declarations of sections whose `${NAME}` references are resolved and whose shape was
 * checked: camelCase bodies, plus the problems no single field rule can see (names, duplicates,
 * the proxy key's own value).
 */
export function readDeclarations(sections: Json): {
  declared: Omit<DeclaredConfig, 'warnings'>;
  problems: string[];
} {
  const problems: string[] = [];
  const groups = entriesOf(sections, 'Groups', problems).map(([where, entry]) => {
    const body = renamed(entry, GROUP_FILE_FIELDS);
    if (isObject(entry.Probe)) body.probe = renamed(entry.Probe, PROBE_FILE_FIELDS);
    body.apiKeys ??= []; // a local model server needs none
    return { where, name: nameOf(where, entry, 'GroupName', problems), body };
  });
  const proxyKeys = entriesOf(sections, 'ProxyKeys', problems).map(([where, entry]) => {
    const body = renamed(entry, PROXY_KEY_FILE_FIELDS);
    if (typeof body.key !== 'string') problems.push(`${where}.Key is required: the key clients send`);
    else if (!PROXY_KEY_PATTERN.test(body.key))
      problems.push(
        `${where}.Key must be ${PROXY_KEY_MIN_LENGTH} to 512 printable ASCII characters without spaces (e.g. from openssl rand -base64 32)`,
      );
    return { where, name: nameOf(where, entry, 'Name', problems), body };
  });
  problems.push(...duplicates(groups, 'GroupName', (entry) => entry.name.toLowerCase()));
  problems.push(...duplicates(proxyKeys, 'Name', (entry) => entry.name));
  problems.push(...duplicates(proxyKeys, 'Key', (entry) => entry.body.key));
  return { declared: { groups, proxyKeys }, problems };
}

function entriesOf(sections: Json, section: string, problems: string[]): Array<[string, Json]> {
  const value = sections[section];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`"${section}" must be an array of entries`);
    return [];
  }
  const entries: Array<[string, Json]> = [];
  value.forEach((entry, index) => {
    if (isObject(entry)) entries.push([`${section}[${index}]`, entry]);
    else problems.push(`${section}[${index}] must be an object`);
  });
  return entries;
}

function unknownFields(where: string, entry: Json, fields: Readonly<Record<string, string>>): string[] {
  const known = Object.keys(fields);
  return Object.keys(entry)
    .filter((field) => !field.startsWith('$') && !known.includes(field))
    .map((field) => {
      const nearest = nearestName(field, known);
      return `unknown field "${where}.${field}"${nearest ? ` (did you mean "${nearest}"?)` : ''}`;
    });
}

function renamed(entry: Json, fields: Readonly<Record<string, string>>): Json {
  const body: Json = {};
  for (const [fileField, apiField] of Object.entries(fields))
    if (entry[fileField] !== undefined) body[apiField] = entry[fileField];
  return body;
}

function nameOf(where: string, entry: Json, field: string, problems: string[]): string {
  const name = entry[field];
  if (typeof name === 'string' && name.trim() !== '') return name;
  problems.push(`${where}.${field} is required`);
  return '';
}

// Messages name the entries, never the value (a duplicated value may be a key).
function duplicates(
  entries: readonly DeclaredEntry[],
  field: string,
  valueOf: (entry: DeclaredEntry) => unknown,
): string[] {
  const seen = new Map<unknown, string>();
  const problems: string[] = [];
  for (const entry of entries) {
    const value = valueOf(entry);
    if (typeof value !== 'string' || value === '') continue;
    const first = seen.get(value);
    if (first) problems.push(`${entry.where}.${field} is the same as ${first}.${field}`);
    else seen.set(value, entry.where);
  }
  return problems;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
