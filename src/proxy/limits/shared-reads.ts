import type { Redis } from 'ioredis';

// A key's TPM counter (its value and time to live) and its lifetime total, in one command.
const READ_SCRIPT = `return {redis.call('get', KEYS[1]), redis.call('pttl', KEYS[1]), redis.call('get', KEYS[2])}`;
const COMMAND = 'switchyardReadLimits';

type Reply = [string | null, number, string | null];
type WithReadCommand = Redis & { [COMMAND](tpmKey: string, spentKey: string): Promise<Reply> };

export interface SharedRead {
  /** Tokens counted in the TPM counter's current minute (0 when there is none). */
  readonly consumedPoints: number;
  /** Until that minute ends. */
  readonly msBeforeNext: number;
  /** The lifetime total; undefined when the counter is missing. */
  readonly spent?: number;
}

/** What an admission reads from Redis besides the RPM increment: one script, one reply. */
export class SharedReads {
  constructor(private readonly client: Redis) {
    client.defineCommand(COMMAND, { numberOfKeys: 2, lua: READ_SCRIPT });
  }

  async read(tpmKey: string, spentKey: string): Promise<SharedRead> {
    const [tokens, ttl, spent] = await (this.client as WithReadCommand)[COMMAND](tpmKey, spentKey);
    return {
      consumedPoints: Number(tokens ?? 0),
      msBeforeNext: Math.max(0, Number(ttl)),
      spent: spent === null ? undefined : Number(spent),
    };
  }
}
