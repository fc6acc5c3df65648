import { readFileSync } from 'node:fs';
import { type SseEvent, UpstreamStreamError } from '../../adapter.js';
import { SseParser } from '../../sse-parser.js';
import { classifyAttempt } from '../../upstream-error.js';
import { anthropicAdapter } from './anthropic.adapter.js';

const text = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

// Network-sized pieces, as a socket would deliver them.
function events(name: string): SseEvent[] {
  const parser = new SseParser();
  const bytes = Buffer.from(text(name));
  const out: SseEvent[] = [];
  for (let at = 0; at < bytes.length; at += 61) out.push(...parser.push(bytes.subarray(at, at + 61)));
  return [...out, ...parser.end()];
}

const decoded = (out: SseEvent[]) =>
  out.map((event) => (event.data === '[DONE]' ? '[DONE]' : { ...JSON.parse(event.data), created: 0 }));

describe('AnthropicStreamTranslator', () => {
  it('turns a text stream into OpenAI chunks, with the usage chunk the client asked for', () => {
    const sut = anthropicAdapter.createStreamTranslator({ stripUsageOnlyChunk: false });
    const out = events('stream-text.sse.txt').flatMap((event) => sut.push(event));
    expect(decoded([...out, ...sut.end()])).toEqual(JSON.parse(text('stream-text.events.json')));
    expect(sut.done).toBe(true);
    expect(sut.usage).toEqual({ promptTokens: 35, completionTokens: 15, totalTokens: 50 });
  });

  it('streams parallel tool calls with their arguments, and counts usage the client did not ask for', () => {
    const sut = anthropicAdapter.createStreamTranslator({ stripUsageOnlyChunk: true });
    const out = events('stream-tools.sse.txt').flatMap((event) => sut.push(event));
    expect(decoded(out)).toEqual(JSON.parse(text('stream-tools.events.json')));
    expect(sut.usage).toEqual({ promptTokens: 472, completionTokens: 89, totalTokens: 561 });
  });

  it('sends nothing before the first content, so an error event still fails over like a 503', () => {
    const sut = anthropicAdapter.createStreamTranslator();
    const [start, ping, error] = events('stream-error.sse.txt');
    expect([...sut.push(start), ...sut.push(ping)]).toEqual([]);
    let thrown: unknown;
    try {
      sut.push(error);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(UpstreamStreamError);
    expect(classifyAttempt({ error: thrown })).toMatchObject({ kind: 'overloaded', differentKey: true });
    expect(sut.done).toBe(false);
  });

  it('is not done when the stream ends before message_stop', () => {
    const sut = anthropicAdapter.createStreamTranslator();
    events('stream-text.sse.txt')
      .slice(0, 4)
      .forEach((event) => sut.push(event));
    expect(sut.end()).toEqual([]);
    expect(sut.done).toBe(false);
  });
});
