import type { ChainableCommander, Redis } from 'ioredis';

// Before requests: ARGV[2] requests' RPM increment (the counter as rate-limiter-flexible keeps
// it — created for the window if missing — so the same limiter can give a point back), the TPM
// counter (value and time to live) and the budget's lifetime total. ARGV[1] = '0': no RPM counter.
const ADMIT_SCRIPT = `
local requests, requestsTtl = false, false
if ARGV[1] ~= '0' then
  redis.call('set', KEYS[1], 0, 'EX', ARGV[1], 'NX')
  requests = redis.call('incrby', KEYS[1], ARGV[2])
  requestsTtl = redis.call('pttl', KEYS[1])
  if requestsTtl == -1 then
    redis.call('expire', KEYS[1], ARGV[1])
    requestsTtl = 1000 * ARGV[1]
  end
end
return {requests, requestsTtl, redis.call('get', KEYS[2]), redis.call('pttl', KEYS[2]), redis.call('get', KEYS[3])}`;

// After responses: the tokens they spent, added to the lifetime total and to the TPM counter
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
type WithScripts = ChainableCommander & {
  [ADMIT](requests: string, tokens: string, spent: string, window: string, count: string): void;
  [RECORD](spent: string, tokens: string, amount: string, window: string): void;
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
  /** The RPM counter right after this request's increment (when `requests` was given). */
  readonly requests?: WindowCount;
  /** The TPM counter (0 tokens when it has no current window; when `tokens` was given). */
  readonly tokens?: WindowCount;
  /** The lifetime total; undefined when the counter is missing. */
  readonly spent?: number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface AdmitBatch {
  readonly keys: AdmitKeys;
  readonly window: number;
  readonly waiters: Waiter<SharedAdmission>[];
}

interface RecordBatch {
  readonly spent: string;
  readonly tokensKey?: string;
  readonly window: number;
  tokens: number;
  readonly waiters: Waiter<number>[];
}

/**
 * The Redis side of the limits on a request's path. Every command costs both processes CPU (write,
 * parse, run, answer), and on a busy gateway that, not the network, is what sharing the limits
 * costs. So what the requests of one event-loop turn ask is sent together, once the turn's I/O
 * has been handled: one pipeline (one write, one round trip), one script per proxy key each way.
 * A proxy key's admissions in that turn share one increment of its RPM counter by their number,
 * and each gets its own count in the order asked (exactly what as many increments would give);
 * its finished requests' tokens are added in one sum.
 */
export class SharedCounters {
  private admits = new Map<string, AdmitBatch>();
  private records = new Map<string, RecordBatch>();
  private scheduled = false;

  constructor(private readonly client: Redis) {
    client.defineCommand(ADMIT, { numberOfKeys: 3, lua: ADMIT_SCRIPT });
    client.defineCommand(RECORD, { numberOfKeys: 2, lua: RECORD_SCRIPT });
  }

  /** Counts a request against the RPM counter (when given) and reads the token counters. */
  admit(keys: AdmitKeys, windowSeconds: number): Promise<SharedAdmission> {
    return new Promise((resolve, reject) => {
      const id = `${keys.requests ?? ''} ${keys.tokens ?? ''} ${keys.spent} ${windowSeconds}`;
      let batch = this.admits.get(id);
      if (!batch) this.admits.set(id, (batch = { keys, window: windowSeconds, waiters: [] }));
      batch.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Adds `tokens` to the lifetime total and, when given, to the TPM counter; answers the total. */
  record(
    spentKey: string,
    tokens: number,
    tokensKey: string | undefined,
    windowSeconds: number,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      const id = `${spentKey} ${tokensKey ?? ''} ${windowSeconds}`;
      let batch = this.records.get(id);
      if (!batch)
        this.records.set(
          id,
          (batch = { spent: spentKey, tokensKey, window: windowSeconds, tokens: 0, waiters: [] }),
        );
      batch.tokens += tokens;
      batch.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const admits = [...this.admits.values()];
    const records = [...this.records.values()];
    this.admits = new Map();
    this.records = new Map();
    const pipeline = this.client.pipeline() as WithScripts;
    for (const { keys, window, waiters } of admits)
      pipeline[ADMIT](
        keys.requests ?? keys.spent,
        keys.tokens ?? keys.spent,
        keys.spent,
        keys.requests ? String(window) : '0',
        String(waiters.length),
      );
    for (const { spent, tokensKey, window, tokens } of records)
      if (tokensKey) pipeline[RECORD](spent, tokensKey, String(tokens), String(window));
      else pipeline.incrby(spent, tokens);
    const batches: (AdmitBatch | RecordBatch)[] = [...admits, ...records];
    pipeline.exec().then(
      (results) =>
        batches.forEach((batch, i) => {
          const [error, reply] = results?.[i] ?? [new Error('no reply from Redis')];
          if (error) for (const waiter of batch.waiters) waiter.reject(error);
          else if ('keys' in batch) answerAdmissions(batch, reply as AdmitReply);
          else for (const waiter of batch.waiters) waiter.resolve(Number(reply));
        }),
      (error: unknown) => batches.forEach((batch) => batch.waiters.forEach((waiter) => waiter.reject(error))),
    );
  }
}

/** Each admission of a batch gets its own place in the increment, in the order they were asked. */
function answerAdmissions({ keys, waiters }: AdmitBatch, reply: AdmitReply): void {
  const [requests, requestsTtl, tokens, tokensTtl, spent] = reply;
  const first = Number(requests) - waiters.length + 1;
  waiters.forEach((waiter, i) =>
    waiter.resolve({
      requests:
        keys.requests && requests !== null
          ? { consumedPoints: first + i, msBeforeNext: Math.max(0, Number(requestsTtl)) }
          : undefined,
      tokens: keys.tokens
        ? { consumedPoints: Number(tokens ?? 0), msBeforeNext: Math.max(0, Number(tokensTtl)) }
        : undefined,
      spent: spent === null ? undefined : Number(spent),
    }),
  );
}
