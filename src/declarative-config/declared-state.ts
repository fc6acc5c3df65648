// What a declared group or proxy key looks like as data, so the configuration file's declaration
// and the database row can be compared field by field, and what applying the file should do. Pure.
import { createHash, createHmac } from 'node:crypto';
import { GROUP_FILE_FIELDS, PROXY_KEY_FILE_FIELDS } from '../config/declared-config.js';
import { GROUP_DEFAULTS } from '../providers/group-config.js';

export type State = Readonly<Record<string, unknown>>;

// A stored key that no longer decrypts: unlike any real key, so the file's key set replaces it.
const UNREADABLE_KEY = '\u0000unreadable';

/** A group's state from a validated body (the service's defaults filled in, as it stores them). */
export function groupStateOfBody(body: GroupBody): State {
  return {
    groupName: body.groupName,
    providerType: body.providerType,
    baseUrl: body.baseUrl ? body.baseUrl.replace(/\/+$/, '') : null,
    models: body.models,
    modelMap: body.modelMap ?? {},
    balancePolicy: body.balancePolicy ?? GROUP_DEFAULTS.balancePolicy,
    retryCount: body.retryCount ?? GROUP_DEFAULTS.retryCount,
    timeout: body.timeout ?? GROUP_DEFAULTS.timeout,
    priority: body.priority ?? GROUP_DEFAULTS.priority,
    weight: body.weight ?? GROUP_DEFAULTS.weight,
    enabled: body.enabled ?? GROUP_DEFAULTS.enabled,
    parameters: body.parameters ?? {},
    headers: body.headers ?? {},
    probe: probeOf(body.probe ?? GROUP_DEFAULTS.probe),
    apiVersion: body.apiVersion ?? null,
    apiKeys: keySet(body.apiKeys),
  };
}

/** A stored group's state: its row, its opened headers and its opened keys (undefined: unreadable). */
export function groupStateOfRow(
  row: Omit<GroupBody, 'apiKeys' | 'headers'>,
  headers: Record<string, string>,
  keys: ReadonlyArray<string | undefined>,
): State {
  return groupStateOfBody({
    ...row,
    headers,
    apiKeys: keys.map((key) => key ?? UNREADABLE_KEY),
  });
}

/** A proxy key's state; the key itself only as its SHA-256, as the database keeps it. */
export function proxyKeyStateOfBody(body: ProxyKeyBody, keyHash: string): State {
  return {
    name: body.name,
    description: body.description ?? null,
    rpm: body.rpm ?? null,
    tpm: body.tpm ?? null,
    enabled: body.enabled ?? true,
    expiresAt: body.expiresAt ? toSeconds(body.expiresAt) : null,
    allowedModels: body.allowedModels ?? [],
    allowedGroups: body.allowedGroups ?? [],
    tokenBudget: body.tokenBudget ?? null,
    keyHash,
  };
}

/** The fields whose values differ, in the file's names (`Key` for the proxy key's value). */
export function differingFields(wanted: State, current: State): string[] {
  const fileName = new Map(
    [...Object.entries(GROUP_FILE_FIELDS), ...Object.entries(PROXY_KEY_FILE_FIELDS)].map(([file, api]) => [
      api,
      file,
    ]),
  );
  fileName.set('keyHash', 'Key');
  return Object.keys(wanted)
    .filter((field) => stableJson(wanted[field]) !== stableJson(current[field]))
    .map((field) => fileName.get(field) ?? field);
}

/**
 * A keyed hash (HMAC-SHA256 under a key derived from ENCRYPTION_KEY) of a state: states hold
 * upstream keys, so a plain hash would let anyone with the database test guesses against it.
 */
export function fingerprint(encryptionKey: Buffer, state: State): string {
  const key = createHash('sha256').update('switchyard declared-state\n').update(encryptionKey).digest();
  return createHmac('sha256', key).update(stableJson(state)).digest('hex');
}

export type Plan =
  /** Absent: create it; `recreated` when the file had applied it before (deleted through the API since). */
  | { readonly action: 'create'; readonly recreated: boolean }
  /** Already as declared; `remember` when the stored hash is missing or stale. */
  | { readonly action: 'none'; readonly remember: boolean }
  /**
   * Differs: `file` when only the file changed since it last applied it; `adopt` when it existed
   * before the file declared it; `conflict` when it was changed through the API since.
   */
  | { readonly action: 'update'; readonly cause: 'file' | 'adopt' | 'conflict'; readonly fields: string[] };

/** What applying a declaration does, given the stored state and the hash recorded when the file last applied it. */
export function planChange(input: {
  wanted: State;
  current: State | undefined;
  appliedHash: string | undefined;
  hashOf: (state: State) => string;
}): Plan {
  const { wanted, current, appliedHash, hashOf } = input;
  if (current === undefined) return { action: 'create', recreated: appliedHash !== undefined };
  const fields = differingFields(wanted, current);
  if (fields.length === 0) return { action: 'none', remember: appliedHash !== hashOf(current) };
  if (appliedHash === undefined) return { action: 'update', cause: 'adopt', fields };
  return { action: 'update', cause: hashOf(current) === appliedHash ? 'file' : 'conflict', fields };
}

/** JSON with object keys sorted and undefined left out: equal data, equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item ?? null)).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

// The keyless slot ('') stands for no key; order is not part of a key set.
function keySet(keys: readonly string[]): string[] {
  return [...new Set(keys.filter((key) => key !== ''))].sort();
}

function probeOf(probe: { kind: string; model?: string | null }): State {
  return probe.model ? { kind: probe.kind, model: probe.model } : { kind: probe.kind };
}

// MySQL's DATETIME keeps whole seconds.
function toSeconds(at: string | Date): string {
  return new Date(Math.floor(new Date(at).getTime() / 1000) * 1000).toISOString();
}

/** The group fields the state reads (GroupDto's, or a stored row's). */
export interface GroupBody {
  groupName: string;
  providerType: string;
  baseUrl?: string | null;
  models: string[];
  modelMap?: Record<string, string> | null;
  balancePolicy?: string | null;
  retryCount?: number | null;
  timeout?: number | null;
  priority?: number | null;
  weight?: number | null;
  enabled?: boolean | null;
  parameters?: Record<string, unknown> | null;
  headers?: Record<string, string> | null;
  probe?: { kind: string; model?: string | null } | null;
  apiVersion?: string | null;
  apiKeys: readonly string[];
}

/** The proxy key fields the state reads (ProxyKeyDto's, or a stored row's). */
export interface ProxyKeyBody {
  name: string;
  description?: string | null;
  rpm?: number | null;
  tpm?: number | null;
  enabled?: boolean | null;
  expiresAt?: string | Date | null;
  allowedModels?: string[] | null;
  allowedGroups?: string[] | null;
  tokenBudget?: number | null;
}
