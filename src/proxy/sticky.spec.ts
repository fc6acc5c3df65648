import { rendezvousScore, sessionHash, stickyChoice } from './sticky.js';

const KEYS = [11, 12, 13, 14, 15];
const identity = (id: number) => id;
const sessions = Array.from({ length: 2_000 }, (_, i) => sessionHash(`session-${i}`));

describe('sticky sessions', () => {
  it('hashes with FNV-1a 32-bit', () => {
    expect(sessionHash('')).toBe(0x811c9dc5);
    expect(sessionHash('a')).toBe(0xe40c292c);
    expect(sessionHash('foobar')).toBe(0xbf9cf968);
  });

  it('sends a session to the same key every time, whatever the order of the keys', () => {
    const session = sessionHash('user-42');

    expect(stickyChoice(session, KEYS, identity)).toBe(stickyChoice(session, [...KEYS].reverse(), identity));
    expect(stickyChoice(session, [], identity)).toBeUndefined();
    expect(rendezvousScore(session, 11)).toBe(rendezvousScore(session, 11));
  });

  it('spreads sessions evenly over the keys', () => {
    const counts = new Map<number, number>();
    for (const session of sessions) {
      const key = stickyChoice(session, KEYS, identity)!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }

    expect([...counts.keys()].sort()).toEqual(KEYS);
    for (const count of counts.values()) expect(Math.abs(count - 400)).toBeLessThan(100);
  });

  it('moves only the sessions of a key that becomes unavailable, and they come back with it', () => {
    const without13 = KEYS.filter((id) => id !== 13);
    let moved = 0;
    let disturbed = 0;
    for (const session of sessions) {
      const before = stickyChoice(session, KEYS, identity);
      const during = stickyChoice(session, without13, identity);
      if (before === 13) moved += 1;
      else if (during !== before) disturbed += 1;
      if (stickyChoice(session, KEYS, identity) !== before) disturbed += 1;
    }

    expect(moved).toBeGreaterThan(0);
    expect(disturbed).toBe(0);
  });
});
