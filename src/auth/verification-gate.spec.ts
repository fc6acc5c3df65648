import { LoginsBusy, VerificationGate } from './verification-gate.js';

describe(VerificationGate.name, () => {
  it('runs at most maxRunning at once, queues maxWaiting and refuses the rest at once', async () => {
    const sut = new VerificationGate(2, 1);
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const work = () =>
      new Promise<string>((resolve) => {
        active += 1;
        peak = Math.max(peak, active);
        releases.push(() => {
          active -= 1;
          resolve('done');
        });
      });
    const accepted = [sut.run(work), sut.run(work), sut.run(work)];
    await expect(sut.run(work)).rejects.toBeInstanceOf(LoginsBusy);
    while (releases.length > 0 || active > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    await expect(Promise.all(accepted)).resolves.toEqual(['done', 'done', 'done']);
    expect(peak).toBe(2);
    await expect(sut.run(async () => 'again')).resolves.toBe('again');
  });

  it('frees its slot when the work fails', async () => {
    const sut = new VerificationGate(1, 0);
    await expect(sut.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(sut.run(async () => 'next')).resolves.toBe('next');
  });
});
