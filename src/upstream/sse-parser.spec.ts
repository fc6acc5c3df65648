import { readFileSync } from 'node:fs';
import type { SseEvent } from './adapter.js';
import { formatSse, SseParser } from './sse-parser.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const MIXED = fixture('mixed.sse.txt');
const MIXED_EVENTS = JSON.parse(fixture('mixed.events.json')) as SseEvent[];

function parseAll(chunks: Array<Buffer | string>): SseEvent[] {
  const sut = new SseParser();
  return [...chunks.flatMap((chunk) => sut.push(chunk)), ...sut.end()];
}

describe(SseParser.name, () => {
  it('parses the fixture: comments, id/retry dropped, event types, multi-line and empty data lines', () => {
    expect(parseAll([MIXED])).toEqual(MIXED_EVENTS);
  });

  it('gives the same events wherever the stream is split in two', () => {
    for (let at = 0; at <= MIXED.length; at += 1) {
      expect(parseAll([MIXED.slice(0, at), MIXED.slice(at)])).toEqual(MIXED_EVENTS);
    }
  });

  it('decodes UTF-8 split inside a character when fed one byte at a time', () => {
    const bytes = Buffer.from(MIXED, 'utf8');
    const chunks = Array.from(bytes, (byte) => Buffer.from([byte]));
    expect(parseAll(chunks)).toEqual(MIXED_EVENTS);
  });

  it.each([
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('accepts %s line endings, also when a CRLF is split across chunks', (_label, eol) => {
    const bytes = Buffer.from(MIXED.replace(/\n/g, eol), 'utf8');
    expect(parseAll([bytes])).toEqual(MIXED_EVENTS);
    for (let at = 0; at <= bytes.length; at += 1) {
      expect(parseAll([bytes.subarray(0, at), bytes.subarray(at)])).toEqual(MIXED_EVENTS);
    }
  });

  it('returns each event as soon as its blank line arrives, not before', () => {
    const sut = new SseParser();
    expect(sut.push('data: {"a":')).toEqual([]);
    expect(sut.push('1}\n')).toEqual([]);
    expect(sut.push('\ndata: next\n\ndata: partial')).toEqual([{ data: '{"a":1}' }, { data: 'next' }]);
  });

  it('delivers a last event that lacks its blank line when the body ends cleanly', () => {
    const sut = new SseParser();
    expect(sut.push('data: one\n\ndata: [DONE]')).toEqual([{ data: 'one' }]);
    expect(sut.end()).toEqual([{ data: '[DONE]' }]);
  });

  it('keeps a long event split over many small chunks intact', () => {
    const payload = JSON.stringify({ content: 'x'.repeat(50_000) });
    const text = `data: ${payload}\n\n`;
    const chunks = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) => text.slice(i * 7, i * 7 + 7));
    expect(parseAll(chunks)).toEqual([{ data: payload }]);
  });
});

describe(formatSse.name, () => {
  it.each<[SseEvent, string]>([
    [{ data: '{"a":1}' }, 'data: {"a":1}\n\n'],
    [{ event: 'error', data: '{}' }, 'event: error\ndata: {}\n\n'],
    [{ data: 'a\nb\r\nc' }, 'data: a\ndata: b\ndata: c\n\n'],
    [{ data: '' }, 'data: \n\n'],
  ])('formats %j', (event, wire) => {
    expect(formatSse(event)).toBe(wire);
  });

  it('round-trips through the parser', () => {
    const wire = MIXED_EVENTS.map(formatSse).join('');
    expect(parseAll([wire])).toEqual(MIXED_EVENTS);
  });
});
