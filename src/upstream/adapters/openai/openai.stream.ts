import type { SseEvent, StreamTranslator, TokenUsage } from '../../adapter.js';
import { toTokenUsage } from './openai.response.js';

const COLON = 0x3a;
const LOWER_N = 0x6e;

/**
 * OpenAI streams pass through event by event. A chunk's JSON is parsed only when it may carry a
 * usage object (so at most once, and usually never), to capture the usage and, when the gateway
 * asked for it on the client's behalf, to drop the usage-only chunk.
 */
export class OpenAiStreamTranslator implements StreamTranslator {
  private latestUsage?: TokenUsage;
  private sawDone = false;

  constructor(private readonly stripUsageOnlyChunk: boolean) {}

  get usage(): TokenUsage | undefined {
    return this.latestUsage;
  }

  get done(): boolean {
    return this.sawDone;
  }

  push(event: SseEvent): SseEvent[] {
    const { data } = event;
    if (data === '[DONE]') {
      this.sawDone = true;
      return [event];
    }
    if (!mayCarryUsage(data)) return [event];
    const chunk = parseObject(data);
    const usage = chunk === undefined ? undefined : toTokenUsage(chunk.usage);
    if (usage === undefined) return [event];
    this.latestUsage = usage;
    const usageOnly = Array.isArray(chunk?.choices) && chunk.choices.length === 0;
    return this.stripUsageOnlyChunk && usageOnly ? [] : [event];
  }

  end(): SseEvent[] {
    return [];
  }
}

// True when `"usage"` appears as a key with a value other than null. With include_usage every
// chunk carries `"usage":null`; quotes inside string values are escaped, so they never match.
export function mayCarryUsage(data: string): boolean {
  for (let at = data.indexOf('"usage"'); at !== -1; at = data.indexOf('"usage"', at + 7)) {
    let i = skipSpaces(data, at + 7);
    if (data.charCodeAt(i) !== COLON) continue;
    i = skipSpaces(data, i + 1);
    if (data.charCodeAt(i) !== LOWER_N) return true;
  }
  return false;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i += 1;
  return i;
}

function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // not ours to judge: the client gets the event as the upstream sent it
  }
}
