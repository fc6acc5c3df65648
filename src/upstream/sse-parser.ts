import { StringDecoder } from 'node:string_decoder';
import type { SseEvent } from './adapter.js';

const LF = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;

/**
 * Incremental `text/event-stream` parser (WHATWG rules): feed it the body chunks as they arrive,
 * get back the events they complete. Lines may end in `\n`, `\r\n` or `\r`, events and UTF-8
 * characters may be split anywhere across chunks; comments (`:` lines), `id` and `retry` are dropped.
 */
export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  /** The start of a line whose end has not arrived yet (holds no CR or LF). */
  private pending = '';
  /** The current event's data lines joined with `\n`; undefined until a `data` field. */
  private data: string | undefined;
  private eventType: string | undefined;
  /** The last chunk ended in CR: an LF opening the next one completes that CRLF. */
  private skipLeadingLf = false;

  /** Characters held for an event not complete yet: a caller bounds it against an endless event. */
  get buffered(): number {
    return this.pending.length + (this.data?.length ?? 0);
  }

  push(chunk: Buffer | string): SseEvent[] {
    const events: SseEvent[] = [];
    this.consume(typeof chunk === 'string' ? chunk : this.decoder.write(chunk), events);
    return events;
  }

  /**
   * The body ended cleanly. Lenient where the spec is strict: a last event that lacks its closing
   * blank line (e.g. `data: [DONE]` at EOF) is still delivered.
   */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    this.consume(this.decoder.end(), events);
    if (this.pending.length > 0) this.field(this.pending, 0, this.pending.length);
    this.pending = '';
    this.dispatch(events);
    return events;
  }

  private consume(text: string, events: SseEvent[]): void {
    const scanFrom = this.pending.length; // `pending` holds no line break: search after it
    const buf = scanFrom > 0 ? this.pending + text : text;
    let pos = 0;
    if (this.skipLeadingLf && buf.length > 0) {
      this.skipLeadingLf = false; // `pending` is empty here: the CR ended a line
      if (buf.charCodeAt(0) === LF) pos = 1;
    }
    const len = buf.length;
    let lf = buf.indexOf('\n', pos + scanFrom);
    let cr = buf.indexOf('\r', pos + scanFrom);
    while (lf !== -1 || cr !== -1) {
      const eol = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (eol === pos) this.dispatch(events);
      else this.field(buf, pos, eol);
      pos = eol + 1;
      if (eol === cr) {
        if (pos === len) this.skipLeadingLf = true;
        else if (buf.charCodeAt(pos) === LF) pos += 1;
      }
      // Each search runs only past the line just consumed, so a chunk is scanned once.
      if (lf !== -1 && lf < pos) lf = buf.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = buf.indexOf('\r', pos);
    }
    this.pending = pos < len ? buf.slice(pos) : '';
  }

  private field(buf: string, start: number, end: number): void {
    if (buf.charCodeAt(start) === COLON) return; // comment
    let colon = buf.indexOf(':', start);
    if (colon === -1 || colon > end) colon = end;
    let valueStart = colon + 1;
    if (valueStart < end && buf.charCodeAt(valueStart) === SPACE) valueStart += 1;
    const value = valueStart < end ? buf.slice(valueStart, end) : '';
    const nameLength = colon - start;
    if (nameLength === 4 && buf.startsWith('data', start)) {
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    } else if (nameLength === 5 && buf.startsWith('event', start)) {
      this.eventType = value;
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data !== undefined) {
      events.push(
        this.eventType === undefined ? { data: this.data } : { event: this.eventType, data: this.data },
      );
    }
    this.data = undefined;
    this.eventType = undefined;
  }
}

/** One event in wire form, ending with the blank line that dispatches it. */
export function formatSse(event: SseEvent): string {
  const head = event.event === undefined ? '' : `event: ${event.event}\n`;
  const { data } = event;
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return `${head}data: ${data}\n\n`;
  return `${head}data: ${data.split(/\r\n|\r|\n/).join('\ndata: ')}\n\n`;
}
