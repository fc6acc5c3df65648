import type { BalancePolicy } from '../config/app-config.js';
import type { ProbeSettings, ProviderType } from '../upstream/provider-type.js';

// The in-memory view of configuration that the hot path reads. Built by `RoutingTable` from the
// database at boot and after every committed admin change; never queried per request.

/** One upstream API key of a group, decrypted. */
export interface RoutableKey {
  readonly id: number;
  readonly groupId: number;
  /** Masked form for logs and APIs, e.g. `sk-…abcd`. */
  readonly masked: string;
  /** The decrypted secret; only the upstream client reads it. */
  readonly secret: string;
  readonly weight: number;
}

/** An enabled provider group with its usable keys (disabled or undecryptable keys left out). */
export interface RoutableGroup {
  readonly id: number;
  /** Unique; the value a request's `backend` field pins. */
  readonly name: string;
  readonly providerType: ProviderType;
  /** Without a trailing slash, e.g. `https://api.openai.com/v1`. */
  readonly baseUrl: string;
  /** Exact names and globs (`gpt-4*`). */
  readonly models: readonly string[];
  /** Client-facing alias → upstream model. */
  readonly modelMap: Readonly<Record<string, string>>;
  /** Policy across this group's keys. */
  readonly balancePolicy: BalancePolicy;
  /** Extra attempts within this group (so at most retryCount + 1 here per request). */
  readonly retryCount: number;
  readonly timeoutSeconds: number;
  /** Lower is preferred; groups are tried tier by tier. */
  readonly priority: number;
  readonly weight: number;
  /** Defaults applied only where the client left a field out. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Extra headers sent upstream. */
  readonly headers: Readonly<Record<string, string>>;
  readonly probe: ProbeSettings;
  /** Azure: the API version query parameter. */
  readonly apiVersion?: string;
  readonly keys: readonly RoutableKey[];
}

/** A client key, looked up by the SHA-256 hex of the presented key. */
export interface RoutableProxyKey {
  readonly id: number;
  readonly name: string;
  readonly keyHash: string;
  readonly enabled: boolean;
  readonly expiresAt?: Date;
  readonly rpm?: number;
  readonly tpm?: number;
  readonly tokenBudget?: number;
  /** Globs; empty means every model. */
  readonly allowedModels: readonly string[];
  /** Group names; empty means every group. */
  readonly allowedGroups: readonly string[];
}

export interface RoutingSnapshot {
  /** Increases with every rebuild. */
  readonly version: number;
  readonly builtAt: Date;
  /** Enabled groups with at least one usable key, ordered by priority then id. */
  readonly groups: readonly RoutableGroup[];
  /** The same groups by `name` (a disabled or keyless group is absent). */
  readonly groupsByName: ReadonlyMap<string, RoutableGroup>;
  /** Every proxy key, disabled and expired ones included, so a guard can tell why one is refused. */
  readonly proxyKeysByHash: ReadonlyMap<string, RoutableProxyKey>;
  /** Enabled groups serving `model` (exact, glob or `modelMap` alias), ordered by priority then id; memoised. */
  groupsForModel(model: string): readonly RoutableGroup[];
  /** The upstream model name a group uses for a requested model (its `modelMap`, else as is). */
  upstreamModel(group: RoutableGroup, model: string): string;
}
