import { DEFAULT_COMPLETION_ESTIMATE, estimateTokens } from './token-estimate.js';

describe('estimateTokens', () => {
  it('counts the messages at four characters a token plus max_tokens', () => {
    const body = { messages: [{ role: 'user', content: 'x'.repeat(36) }], max_tokens: 5 };
    // "user" (4) + 36 characters = 40 → 10 tokens, + 5
    expect(estimateTokens({ endpoint: 'chat', body })).toBe(15);
  });

  it('prefers max_completion_tokens and falls back to a default completion', () => {
    expect(
      estimateTokens({ endpoint: 'chat', body: { messages: [], max_completion_tokens: 7, max_tokens: 99 } }),
    ).toBe(7);
    expect(estimateTokens({ endpoint: 'chat', body: { messages: [] } })).toBe(DEFAULT_COMPLETION_ESTIMATE);
  });

  it('counts prompt arrays and embedding inputs without a completion', () => {
    expect(
      estimateTokens({ endpoint: 'completions', body: { prompt: ['abcd', 'efgh'], max_tokens: 1 } }),
    ).toBe(3);
    expect(estimateTokens({ endpoint: 'embeddings', body: { input: 'abcdefgh' } })).toBe(2);
  });
});
