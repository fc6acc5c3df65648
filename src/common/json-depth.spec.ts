import { exceedsJsonDepth } from './json-depth.js';

const nested = (levels: number) => Buffer.from(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

describe(exceedsJsonDepth.name, () => {
  it('accepts up to the limit and refuses one level more', () => {
    expect(exceedsJsonDepth(nested(64))).toBe(false);
    expect(exceedsJsonDepth(nested(65))).toBe(true);
    expect(exceedsJsonDepth(Buffer.from(`${'['.repeat(65)}${']'.repeat(65)}`))).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ text: `${'{['.repeat(200)} \\" ${'"{'.repeat(100)}` });
    expect(exceedsJsonDepth(Buffer.from(text))).toBe(false);
  });

  it('scans a deep body of several megabytes without recursion', () => {
    expect(exceedsJsonDepth(Buffer.from('['.repeat(5_000_000)))).toBe(true);
  });

  it('handles multi-byte characters', () => {
    expect(exceedsJsonDepth(Buffer.from(JSON.stringify({ emoji: '🙂{[', zh: '中文' })), 1)).toBe(false);
  });
});
