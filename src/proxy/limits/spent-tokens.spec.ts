import type { Redis } from 'ioredis';
import { SpentTokens } from './spent-tokens.js';

/** Just the commands SpentTokens uses, over a Map: counters, INCRBY, and the seed script's logic. */
class FakeRedis {
  status = 'ready';
  readonly values = new Map<string, number>();

  incrby(key: string, tokens: number): Promise<number> {
    if (this.status !== 'ready') return Promise.reject(new Error('down'));
    const total = (this.values.get(key) ?? 0) + tokens;
    this.values.set(key, total);
    return Promise.resolve(total);
  }

  eval(_script: string, count: number, ...rest: string[]): Promise<string[]> {
    const keys = rest.slice(0, count);
    const args = rest.slice(count);
    return Promise.resolve(
      keys.map((key, i) => {
        const current = this.values.get(key);
        const next = current === undefined ? Number(args[2 * i]) : current + Number(args[2 * i + 1]);
        this.values.set(key, next);
        return String(next);
      }),
    );
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SpentTokens', () => {
  it('alone, counts from the database totals in memory', async () => {
    const spent = new SpentTokens();
    await spent.load(new Map([[1, 100]]));
    await expect(spent.add(1, 30)).resolves.toBe(false); // nothing shared
    expect(spent.spentOf(1)).toBe(130);
    expect(spent.spentOf(2)).toBe(0);
  });

  describe('shared', () => {
    let redis: FakeRedis;
    let spent: SpentTokens;
    const counter = (id: number) => `c:${id}`;

    beforeEach(() => {
      redis = new FakeRedis();
      spent = new SpentTokens({ client: redis as unknown as Redis, counterOf: counter, replicasExpected: 3 });
    });

    it('creates only the missing counters from the database totals', async () => {
      redis.values.set('c:2', 500); // another replica created it and counted since
      await spent.load(
        new Map([
          [1, 100],
          [2, 400],
        ]),
      );
      expect(redis.values.get('c:1')).toBe(100);
      expect(redis.values.get('c:2')).toBe(500);
      expect(spent.spentOf(2)).toBe(500);
    });

    it('adds each request to the shared counter and learns the others’ spending from the reply', async () => {
      await spent.load(new Map([[1, 100]]));
      redis.values.set('c:1', 160); // another replica spent 60
      spent.add(1, 30);
      expect(spent.spentOf(1)).toBe(130); // pending until Redis answers
      await flush();
      expect(redis.values.get('c:1')).toBe(190);
      expect(spent.spentOf(1)).toBe(190);
    });

    it('while Redis is down, counts this replica’s spending once per expected replica, then adds it once', async () => {
      await spent.load(new Map([[1, 100]]));
      redis.status = 'reconnecting';
      spent.add(1, 10);
      await flush();
      expect(spent.spentOf(1)).toBe(100 + 3 * 10);
      redis.status = 'ready';
      await spent.seed(new Map([[1, 100]]));
      expect(redis.values.get('c:1')).toBe(110);
      expect(spent.spentOf(1)).toBe(110);
    });

    it('restores a counter Redis lost from what it knew, when the database lags behind', async () => {
      await spent.load(new Map([[1, 100]]));
      spent.add(1, 50);
      await flush();
      redis.values.clear(); // restarted without its data
      await spent.seed(new Map([[1, 120]])); // the last usage rows are not written yet
      expect(redis.values.get('c:1')).toBe(150);
    });

    it('says whether Redis counted the tokens, and lets the caller send them in a command of its own', async () => {
      await spent.load(new Map([[1, 100]]));
      const sent: string[] = [];
      const send = (key: string) => {
        sent.push(key);
        return redis.incrby(key, 20); // e.g. a script that also counts them per minute
      };
      await expect(spent.add(1, 20, send)).resolves.toBe(true);
      expect(sent).toEqual(['c:1']);
      expect(spent.spentOf(1)).toBe(120);
      await expect(spent.add(1, 5, () => Promise.reject(new Error('lost')))).resolves.toBe(false);
      expect(spent.spentOf(1)).toBe(125); // pending, added when the connection is back
      redis.status = 'reconnecting';
      await expect(spent.add(1, 5, send)).resolves.toBe(false);
      expect(sent).toHaveLength(1);
    });

    it('never lowers a total on a late or smaller reading', async () => {
      await spent.load(new Map([[1, 100]]));
      spent.observe(1, 90);
      expect(spent.spentOf(1)).toBe(100);
      spent.observe(1, 140);
      expect(spent.spentOf(1)).toBe(140);
    });
  });
});
