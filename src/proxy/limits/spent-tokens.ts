import type { Redis } from 'ioredis';
import { budgetSpent } from './replica-share.js';

// For each counter: create it if it is missing (first replica to start, or a Redis that lost its
// data), else add what this replica spent while Redis was away.
const SEED_SCRIPT = `
local totals = {}
for i, key in ipairs(KEYS) do
  if not redis.call('set', key, ARGV[2 * i - 1], 'NX') then
    local pending = tonumber(ARGV[2 * i])
    if pending > 0 then redis.call('incrby', key, pending) end
  end
  totals[i] = redis.call('get', key)
end
return totals`;

export interface SpentStore {
  readonly client: Redis;
  /** The Redis key of a proxy key's counter. */
  counterOf(keyId: number): string;
  readonly replicasExpected: number;
}

/**
 * Tokens spent per proxy key over its lifetime, what budgets are checked against. Alone, a replica
 * counts them in memory from the database's totals. With Redis, the replicas share one counter
 * per key (added to after each request): reads are exact up to the additions in flight on other
 * replicas; what a replica spends while Redis is away is added when it is back.
 */
export class SpentTokens {
  /** Alone: the total. Shared: the counter's value when last read. */
  private readonly known = new Map<number, number>();
  /** Shared only: spent here and not yet added to the counter. */
  private readonly pending = new Map<number, number>();

  constructor(private readonly store?: SpentStore) {}

  get shared(): boolean {
    return this.store !== undefined;
  }

  get redisUp(): boolean {
    return this.store?.client.status === 'ready';
  }

  spentOf(keyId: number): number {
    const known = this.known.get(keyId) ?? 0;
    if (!this.store) return known;
    return budgetSpent(known, this.pending.get(keyId) ?? 0, this.store.replicasExpected, this.redisUp);
  }

  /** Alone: starts from the database totals. Shared: also creates the counters missing in Redis. */
  async load(totals: Map<number, number>): Promise<void> {
    for (const [keyId, tokens] of totals) this.raise(keyId, tokens);
    if (this.redisUp) await this.seed(totals);
  }

  /**
   * Creates the missing counters from `totals` and adds the pending tokens to the others, in one
   * script. Called at start and each time the connection to Redis is (re)established.
   */
  async seed(totals: Map<number, number>): Promise<void> {
    if (!this.store) return;
    const ids = [...new Set([...totals.keys(), ...this.known.keys(), ...this.pending.keys()])];
    if (ids.length === 0) return;
    const sent = ids.map((id) => this.pending.get(id) ?? 0);
    // A missing counter starts from the larger of the database's total (which lags by the usage
    // records not written yet) and what this replica knows was spent.
    const start = ids.map((id, i) => Math.max(totals.get(id) ?? 0, (this.known.get(id) ?? 0) + sent[i]));
    const args = ids.flatMap((id, i) => [String(start[i]), String(sent[i])]);
    const keys = ids.map((id) => this.store!.counterOf(id));
    const values = (await this.store.client.eval(SEED_SCRIPT, keys.length, ...keys, ...args)) as string[];
    ids.forEach((id, i) => {
      this.takePending(id, sent[i]);
      this.raise(id, Number(values[i] ?? 0));
    });
  }

  /**
   * Adds a request's tokens: to memory alone; with Redis, to the shared counter, asynchronously.
   * `send` adds them there and answers the counter's new total (by default one INCRBY; the caller
   * may count them in other counters in the same command). Resolves to whether Redis counted them
   * (false alone, while Redis is down or when the command failed: they stay pending, see seed).
   */
  add(keyId: number, tokens: number, send?: (counter: string) => Promise<number>): Promise<boolean> {
    if (!this.store) {
      this.known.set(keyId, (this.known.get(keyId) ?? 0) + tokens);
      return Promise.resolve(false);
    }
    this.pending.set(keyId, (this.pending.get(keyId) ?? 0) + tokens);
    if (!this.redisUp) return Promise.resolve(false);
    const counter = this.store.counterOf(keyId);
    return this.flush(keyId, tokens, send ? send(counter) : this.store.client.incrby(counter, tokens));
  }

  /** A total read from Redis with the admission (see SharedCounters). */
  observe(keyId: number, total: number): void {
    this.raise(keyId, total);
  }

  private async flush(keyId: number, tokens: number, added: Promise<number>): Promise<boolean> {
    try {
      const total = await added;
      this.takePending(keyId, tokens);
      this.raise(keyId, total);
      return true;
    } catch {
      return false; // stays pending: added when the connection is back (see seed)
    }
  }

  private takePending(keyId: number, tokens: number): void {
    const left = (this.pending.get(keyId) ?? 0) - tokens;
    if (left > 0) this.pending.set(keyId, left);
    else this.pending.delete(keyId);
  }

  // A total only grows: an older read arriving late never lowers it.
  private raise(keyId: number, total: number): void {
    if (Number.isFinite(total) && total > (this.known.get(keyId) ?? 0)) this.known.set(keyId, total);
  }
}
