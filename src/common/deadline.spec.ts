import { TIMED_OUT, withinDeadline } from './deadline.js';

describe('withinDeadline', () => {
  it('passes a quick value through', async () => {
    await expect(withinDeadline(Promise.resolve(7), 1000)).resolves.toBe(7);
  });

  it('gives up on a slow promise', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(withinDeadline(never, 10)).resolves.toBe(TIMED_OUT);
  });

  it('passes a rejection through', async () => {
    await expect(withinDeadline(Promise.reject(new Error('no')), 1000)).rejects.toThrow('no');
  });
});
