import { UsageQueue } from './usage-queue.js';

describe(UsageQueue.name, () => {
  it('hands items back oldest first, in batches', () => {
    const sut = new UsageQueue<number>(10);
    for (let i = 1; i <= 5; i += 1) expect(sut.push(i)).toBe(false);
    expect(sut.take(2)).toEqual([1, 2]);
    expect(sut.take(10)).toEqual([3, 4, 5]);
    expect(sut.size).toBe(0);
    expect(sut.take(3)).toEqual([]);
  });

  it('drops the oldest item once full and reports each drop', () => {
    const sut = new UsageQueue<number>(3);
    const dropped = [1, 2, 3, 4, 5].map((i) => sut.push(i));
    expect(dropped).toEqual([false, false, false, true, true]);
    expect(sut.size).toBe(3);
    expect(sut.take(5)).toEqual([3, 4, 5]);
  });

  it('keeps FIFO order across wrap-around', () => {
    const sut = new UsageQueue<number>(4);
    const seen: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      sut.push(i);
      if (i % 3 === 2) seen.push(...sut.take(2));
    }
    seen.push(...sut.take(100));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.at(-1)).toBe(19);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new UsageQueue(0)).toThrow(RangeError);
    expect(() => new UsageQueue(1.5)).toThrow(RangeError);
  });
});
