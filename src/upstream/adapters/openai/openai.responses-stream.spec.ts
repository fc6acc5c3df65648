import { openAiAdapter } from './openai.adapter.js';

describe('ResponsesStreamTranslator', () => {
  it('passes events through and ends at response.completed with its usage', () => {
    const sut = openAiAdapter.createStreamTranslator({ endpoint: 'responses' });
    const events = [
      { event: 'response.created', data: '{"type":"response.created","response":{"usage":null}}' },
      { event: 'response.output_text.delta', data: '{"type":"response.output_text.delta","delta":"Hi"}' },
      {
        event: 'response.completed',
        data: '{"type":"response.completed","response":{"usage":{"input_tokens":9,"output_tokens":4,"total_tokens":13}}}',
      },
    ];
    expect(sut.push(events[0])).toEqual([events[0]]);
    expect(sut.push(events[1])).toEqual([events[1]]);
    expect(sut.done).toBe(false);
    expect(sut.push(events[2])).toEqual([events[2]]);
    expect(sut.done).toBe(true);
    expect(sut.usage).toEqual({ promptTokens: 9, completionTokens: 4, totalTokens: 13 });
  });

  it('recognises the terminal event from its data when no event line names it', () => {
    const sut = openAiAdapter.createStreamTranslator({ endpoint: 'responses' });
    sut.push({ data: '{"type":"response.failed","response":{"usage":null}}' });
    expect(sut.done).toBe(true);
  });
});
