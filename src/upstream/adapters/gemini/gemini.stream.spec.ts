import { readFileSync } from 'node:fs';
import { type SseEvent, UpstreamStreamError } from '../../adapter.js';
import { SseParser } from '../../sse-parser.js';
import { classifyAttempt } from '../../upstream-error.js';
import { geminiAdapter } from './gemini.adapter.js';

const text = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function events(name: string): SseEvent[] {
  const parser = new SseParser();
  const bytes = Buffer.from(text(name));
  const out: SseEvent[] = [];
  for (let at = 0; at < bytes.length; at += 53) out.push(...parser.push(bytes.subarray(at, at + 53)));
  return [...out, ...parser.end()];
}

const decoded = (out: SseEvent[]) =>
  out.map((event) => (event.data === '[DONE]' ? '[DONE]' : { ...JSON.parse(event.data), created: 0 }));

describe('GeminiStreamTranslator', () => {
  it('turns a text stream into OpenAI chunks, then the usage chunk and [DONE] once the body ends', () => {
    const sut = geminiAdapter.createStreamTranslator({ stripUsageOnlyChunk: false });
    const out = events('stream-text.sse.txt').flatMap((event) => sut.push(event));
    expect(sut.done).toBe(true);
    expect(decoded([...out, ...sut.end()])).toEqual(JSON.parse(text('stream-text.events.json')));
    expect(sut.usage).toEqual({ promptTokens: 12, completionTokens: 4, totalTokens: 16 });
  });

  it('streams parallel function calls as OpenAI tool calls, counting usage the client did not ask for', () => {
    const sut = geminiAdapter.createStreamTranslator({ stripUsageOnlyChunk: true });
    const out = events('stream-tools.sse.txt').flatMap((event) => sut.push(event));
    expect(decoded([...out, ...sut.end()])).toEqual(JSON.parse(text('stream-tools.events.json')));
    expect(sut.usage).toEqual({ promptTokens: 60, completionTokens: 22, totalTokens: 82 });
  });

  it('is not done when the body ends before a finish reason', () => {
    const sut = geminiAdapter.createStreamTranslator();
    events('stream-text.sse.txt')
      .slice(0, 2)
      .forEach((event) => sut.push(event));
    expect(sut.end()).toEqual([]);
    expect(sut.done).toBe(false);
  });

  it('raises an error object in the stream as what its code means', () => {
    const sut = geminiAdapter.createStreamTranslator();
    const error = {
      data: JSON.stringify({ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }),
    };
    let thrown: unknown;
    try {
      sut.push(error);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(UpstreamStreamError);
    expect(classifyAttempt({ error: thrown }).kind).toBe('overloaded');
  });
});
