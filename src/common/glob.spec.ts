import { globMatcher, matchesAny, matchesGlob } from './glob.js';

describe('matchesGlob', () => {
  it.each([
    ['gpt-4', 'gpt-4', true],
    ['gpt-4', 'gpt-4o', false],
    ['gpt-4*', 'gpt-4o-mini', true],
    ['gpt-4*', 'gpt-4', true],
    ['gpt-4*', 'gpt-3.5-turbo', false],
    ['*', 'anything/at-all', true],
    ['meta-llama/*', 'meta-llama/Llama-3-8B', true],
    ['claude-?-opus', 'claude-3-opus', true],
    ['claude-?-opus', 'claude-35-opus', false],
    ['gpt-3.5-turbo', 'gpt-3x5-turbo', false],
    ['gpt-3.5*', 'gpt-3x5-turbo', false],
    ['a+b(c)[d]{e}^$|\\', 'a+b(c)[d]{e}^$|\\', true],
    ['a+b*', 'aab', false],
    ['GPT-4*', 'gpt-4o', false],
    ['*-mini', 'gpt-4o-mini\nx', false],
  ])('%s vs %s → %s', (pattern, value, expected) => {
    expect(matchesGlob(pattern, value)).toBe(expected);
  });
});

describe('matchesAny', () => {
  it('is true when one pattern matches and false for an empty list', () => {
    expect(matchesAny(['claude-*', 'gpt-4o'], 'gpt-4o')).toBe(true);
    expect(matchesAny(['claude-*', 'gpt-4o'], 'gpt-4')).toBe(false);
    expect(matchesAny([], 'gpt-4o')).toBe(false);
  });
});

describe('globMatcher', () => {
  it('agrees with matchesAny on exact names and globs', () => {
    const patterns = ['gpt-4', 'gemini-*', 'o?-mini', 'a.b'];
    const sut = globMatcher(patterns);
    for (const value of ['gpt-4', 'gpt-4o', 'gemini-1.5-pro', 'o3-mini', 'o33-mini', 'a.b', 'axb', '']) {
      expect(sut(value)).toBe(matchesAny(patterns, value));
    }
  });

  it('matches nothing when empty', () => {
    expect(globMatcher([])('gpt-4')).toBe(false);
  });
});
