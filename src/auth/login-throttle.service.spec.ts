import { memoryLoginLimiters } from './login-limiters.js';
import { LoginThrottleService, TooManyLoginAttempts } from './login-throttle.service.js';

describe(LoginThrottleService.name, () => {
  let sut: LoginThrottleService;

  beforeEach(() => {
    sut = new LoginThrottleService(memoryLoginLimiters());
  });

  it('admits only 5 of 40 simultaneous attempts for one username from one address', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, () => sut.begin('admin', '192.0.2.1')),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    for (const refused of outcomes.filter((o) => o.status === 'rejected'))
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(TooManyLoginAttempts);
  });

  it('keeps the same username open from another address', async () => {
    for (let i = 0; i < 5; i += 1) await sut.begin('Admin ', '192.0.2.1');
    await expect(sut.begin('admin', '192.0.2.1')).rejects.toBeInstanceOf(TooManyLoginAttempts);
    await expect(sut.begin('admin', '192.0.2.2')).resolves.toBeDefined();
  });

  it('locks an address after 20 attempts across usernames, with a Retry-After of about 15 minutes', async () => {
    for (let i = 0; i < 20; i += 1) await sut.begin(`user-${i}`, '192.0.2.3');
    const refusal = await sut.begin('someone-else', '192.0.2.3').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TooManyLoginAttempts);
    expect((refusal as TooManyLoginAttempts).retryAfterSeconds).toBeGreaterThan(14 * 60);
  });

  it('gives the points back on success and when the attempt was abandoned', async () => {
    for (let i = 0; i < 30; i += 1) await (await sut.begin('admin', '192.0.2.4')).succeeded();
    for (let i = 0; i < 30; i += 1) await (await sut.begin('admin', '192.0.2.4')).abandoned();
    await expect(sut.begin('admin', '192.0.2.4')).resolves.toBeDefined();
  });
});
