import { readFileSync } from 'node:fs';
import { type SseEvent, UpstreamStreamError } from '../../adapter.js';
import { SseParser } from '../../sse-parser.js';
import { anthropicAdapter } from './anthropic.adapter.js';

function events(name: string): SseEvent[] {
  const parser = new SseParser();
  return [
    ...parser.push(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')),
    ...parser.end(),
  ];
}

describe('AnthropicPassthroughStream', () => {
  it('passes every event of an Anthropic stream through, holding the opening ones until content', () => {
    const sut = anthropicAdapter.createStreamTranslator({ endpoint: 'messages' });
    const upstream = events('stream-tools.sse.txt');
    expect(sut.push(upstream[0])).toEqual([]);
    const out = upstream.slice(1).flatMap((event) => sut.push(event));
    expect(out).toEqual(upstream);
    expect(sut.done).toBe(true);
    expect(sut.usage).toEqual({ promptTokens: 472, completionTokens: 89, totalTokens: 561 });
  });

  it('raises an error event before any content, so the request can fail over', () => {
    const sut = anthropicAdapter.createStreamTranslator({ endpoint: 'messages' });
    const [start, ping, error] = events('stream-error.sse.txt');
    expect([...sut.push(start), ...sut.push(ping)]).toEqual([]);
    expect(() => sut.push(error)).toThrow(UpstreamStreamError);
  });
});
