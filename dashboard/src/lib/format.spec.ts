import { fmtCountdown, fmtMs, fmtMsPair, fmtRate, fmtUptime, statusClass } from './format.js';

describe('formatting', () => {
  it('prints rates, durations and countdowns for people', () => {
    expect(fmtRate(null)).toBe('–');
    expect(fmtRate(1)).toBe('100 %');
    expect(fmtRate(0.9512)).toBe('95.1 %');
    expect(fmtMs(12.4)).toBe('12 ms');
    expect(fmtMs(12_500)).toBe('12.5 s');
    expect(fmtMsPair(66, 82)).toBe('66 / 82 ms');
    expect(fmtMsPair(900, 12_500)).toBe('900 ms / 12.5 s');
    expect(fmtMsPair(null, null)).toBe('– / –');
    expect(fmtUptime(93_784)).toBe('1 d 2 h');
    expect(fmtUptime(42)).toBe('42 s');
    expect(fmtCountdown(10_000 + 125_000, 10_000)).toBe('2:05');
    expect(fmtCountdown(0, 10_000)).toBe('now');
  });

  it('colours a status by class, a client disconnect as an error', () => {
    expect([200, 302, 404, 429, 499, 502].map(statusClass)).toEqual([
      'ok',
      'ok',
      'warn',
      'warn',
      'bad',
      'bad',
    ]);
  });
});
