import type { Redis } from 'ioredis';

// Before a request: its RPM increment (the counter as rate-limiter-flexible keeps it — created
// for the window if missing — so the same limiter can give the point back), the TPM counter
// (value and time to live) and the budget's lifetime total. ARGV[1] = '0' counts no request.
const ADMIT_SCRIPT = `
local requests, requestsTtl = false, false
if ARGV[1] ~= '0' then
  redis.call('set', KEYS[1], 0, 'EX', ARGV[1], 'NX')
  requests = redis.call('incr', KEYS[1])
  requestsTtl = redis.call('pttl', KEYS[1])
  if requestsTtl == -1 then
    redis.call('expire', KEYS[1], ARGV[1])
    requestsTtl = 1000 * ARGV[1]
  end
end
return {requests, requestsTtl, redis.call('get', KEYS[2]), redis.call('pttl', KEYS[2]), redis.call('get', KEYS[3])}`;

// After a response: the tokens it spent, added to the lifetime total and to the TPM counter
// (created for the window if missing, as rate-limiter-flexible does). Answers the total.
const RECORD_SCRIPT = `
local spent = redis.call('incrby', KEYS[1], ARGV[1])
redis.call('set', KEYS[2], 0, 'EX', ARGV[2], 'NX')
redis.call('incrby', KEYS[2], ARGV[1])
if redis.call('ttl', KEYS[2]) == -1 then redis.call('expire', KEYS[2], ARGV[2]) end
return spent`;

const ADMIT = 'switchyardAdmit';
const RECORD = 'switchyardRecord';

type AdmitReply = [number | null, number | null, string | null, number, string | null];
type WithScripts = Redis & {
  [ADMIT](requests: string, tokens: string, spent: string, window: string): Promise<AdmitReply>;
  [RECORD](spent: string, tokens: string, amount: string, window: string): Promise<number>;
};

/** A per-minute counter: what it counted in its current window and until when. */
export interface WindowCount {
  readonly consumedPoints: number;
  readonly msBeforeNext: number;
}

export interface AdmitKeys {
  /** The RPM counter to increment; none when the key has no RPM. */
  readonly requests?: string;
  /** The TPM counter to read; none when the key has no TPM. */
  readonly tokens?: string;
  /** The lifetime total. */
  readonly spent: string;
}

export interface SharedAdmission {
  /** The RPM counter, this request included (when `requests` was given). */
  readonly requests?: WindowCount;
  /** The TPM counter (0 tokens when it has no current window; when `tokens` was given). */
  readonly tokens?: WindowCount;
  /** The lifetime total; undefined when the counter is missing. */
  readonly spent?: number;
}

/**
 * The Redis side of the limits on a request's path, one script each way: the admission's RPM
 * increment and reads, then the tokens spent added to both token counters. One command each keeps
 * Redis's and this process's work per request low (each command is a request to parse, run and
 * answer on both sides); auto-pipelining then lets concurrent requests share a round trip.
 */
export class SharedCounters {
  private readonly client: WithScripts;

  constructor(client: Redis) {
    client.defineCommand(ADMIT, { numberOfKeys: 3, lua: ADMIT_SCRIPT });
    client.defineCommand(RECORD, { numberOfKeys: 2, lua: RECORD_SCRIPT });
    this.client = client as WithScripts;
  }

  async admit(keys: AdmitKeys, windowSeconds: number): Promise<SharedAdmission> {
    const window = keys.requests ? String(windowSeconds) : '0';
    const [requests, requestsTtl, tokens, tokensTtl, spent] = await this.client[ADMIT](
      keys.requests ?? keys.spent,
      keys.tokens ?? keys.spent,
      keys.spent,
      window,
    );
    return {
      requests:
        keys.requests && requests !== null
          ? { consumedPoints: Number(requests), msBeforeNext: Math.max(0, Number(requestsTtl)) }
          : undefined,
      tokens: keys.tokens
        ? { consumedPoints: Number(tokens ?? 0), msBeforeNext: Math.max(0, Number(tokensTtl)) }
        : undefined,
      spent: spent === null ? undefined : Number(spent),
    };
  }

  /** Adds `tokens` to the lifetime total and, when given, to the TPM counter; answers the total. */
  async record(
    spentKey: string,
    tokens: number,
    tokensKey: string | undefined,
    windowSeconds: number,
  ): Promise<number> {
    const total = tokensKey
      ? await this.client[RECORD](spentKey, tokensKey, String(tokens), String(windowSeconds))
      : await this.client.incrby(spentKey, tokens);
    return Number(total);
  }
}
