import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { SseEvent } from '../../adapter.js';
import { SseParser } from '../../sse-parser.js';
import { openAiAdapter } from './openai.adapter.js';
import { mayCarryUsage } from './openai.stream.js';

const RECORDED = readFileSync(new URL('./__fixtures__/chat-tools.sse.txt', import.meta.url), 'utf8');
const USAGE = { promptTokens: 96, completionTokens: 19, totalTokens: 115 };

function recordedEvents(): SseEvent[] {
  const parser = new SseParser();
  // Arbitrary network-sized pieces, as a socket would deliver them.
  const bytes = Buffer.from(RECORDED);
  const events: SseEvent[] = [];
  for (let at = 0; at < bytes.length; at += 97) events.push(...parser.push(bytes.subarray(at, at + 97)));
  return [...events, ...parser.end()];
}

function toolArguments(events: SseEvent[]): string {
  return events
    .filter((event) => event.data !== '[DONE]')
    .map(
      (event) =>
        JSON.parse(event.data) as {
          choices: Array<{ delta?: { tool_calls?: Array<{ function?: { arguments?: string } }> } }>;
        },
    )
    .map((chunk) => chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? '')
    .join('');
}

describe('OpenAiStreamTranslator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('passes every recorded event through unchanged and captures the usage', () => {
    const sut = openAiAdapter.createStreamTranslator();
    const events = recordedEvents();
    const out = events.flatMap((event) => sut.push(event));
    expect(out).toHaveLength(events.length);
    out.forEach((event, i) => expect(event).toBe(events[i]));
    expect(sut.usage).toEqual(USAGE);
    expect(sut.done).toBe(true);
    expect(toolArguments(out)).toBe('{"location":"Paris","unit":"celsius"}');
  });

  it("drops only the usage-only chunk when the gateway asked for usage on the client's behalf", () => {
    const sut = openAiAdapter.createStreamTranslator({ stripUsageOnlyChunk: true });
    const events = recordedEvents();
    const out = events.flatMap((event) => sut.push(event));
    expect(out).toHaveLength(events.length - 1);
    expect(out.some((event) => event.data.includes('"prompt_tokens"'))).toBe(false);
    expect(out.at(-1)).toEqual({ data: '[DONE]' });
    expect(sut.usage).toEqual(USAGE);
    expect(toolArguments(out)).toBe('{"location":"Paris","unit":"celsius"}');
  });

  it('parses JSON only for the chunk that carries usage, not for the "usage":null ones', () => {
    const events = recordedEvents();
    const parse = jest.spyOn(JSON, 'parse');
    const sut = openAiAdapter.createStreamTranslator({ stripUsageOnlyChunk: true });
    events.forEach((event) => sut.push(event));
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('keeps usage carried on a content chunk (some servers send it there) and never drops that chunk', () => {
    const sut = openAiAdapter.createStreamTranslator({ stripUsageOnlyChunk: true });
    const chunk = {
      data: '{"choices":[{"index":0,"delta":{"content":"hi"}}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}',
    };
    expect(sut.push(chunk)).toEqual([chunk]);
    expect(sut.usage).toEqual({ promptTokens: 3, completionTokens: 1, totalTokens: 4 });
    expect(sut.done).toBe(false);
    expect(sut.end()).toEqual([]);
  });

  it('forwards an event that is not JSON as it came', () => {
    const sut = openAiAdapter.createStreamTranslator({ stripUsageOnlyChunk: true });
    const odd = { data: '{"usage": {broken' };
    expect(sut.push(odd)).toEqual([odd]);
    expect(sut.usage).toBeUndefined();
  });
});

describe(mayCarryUsage.name, () => {
  it.each([
    ['{"choices":[],"usage":{"prompt_tokens":1}}', true],
    ['{"choices":[],"usage" : {"prompt_tokens":1}}', true],
    ['{"choices":[{"delta":{"content":"x"}}],"usage":null}', false],
    ['{"choices":[{"delta":{"content":"x"}}],"usage": null}', false],
    ['{"choices":[{"delta":{"content":"the \\"usage\\": {} key"}}]}', false],
    ['{"choices":[{"delta":{"tool_calls":[{"function":{"name":"usage"}}]}}]}', false],
    ['{"choices":[]}', false],
  ])('%s → %s', (data, expected) => {
    expect(mayCarryUsage(data)).toBe(expected);
  });
});
