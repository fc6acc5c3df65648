import { SseEvent, StreamTranslator, TokenUsage, UpstreamStreamError } from '../../adapter.js';
import { isObject } from '../common/chat-request.js';
import { tokenUsage, UsageCounts } from '../common/chat-response.js';
import { anthropicUsage } from './anthropic.response.js';

// An Anthropic stream to an Anthropic client (`/v1/messages`): events pass through as they are,
// the usage is read on the way. The opening events are held back until the first content block so
// that an `error` event before it (e.g. overloaded) can still fail over.

const ERROR_STATUSES: Readonly<Record<string, number>> = {
  overloaded_error: 503,
  rate_limit_error: 429,
  api_error: 500,
};

export class AnthropicPassthroughStream implements StreamTranslator {
  private held: SseEvent[] = [];
  private started = false;
  private rawUsage: Record<string, unknown> = {};
  private counts?: UsageCounts;
  private finished = false;

  get usage(): TokenUsage | undefined {
    return tokenUsage(this.counts);
  }

  get done(): boolean {
    return this.finished;
  }

  push(event: SseEvent): SseEvent[] {
    const data = parse(event.data);
    const type = event.event ?? (typeof data?.type === 'string' ? data.type : undefined);
    if (type === 'error') {
      const error = isObject(data?.error) ? data.error : {};
      const kind = typeof error.type === 'string' ? error.type : 'api_error';
      throw new UpstreamStreamError(
        ERROR_STATUSES[kind] ?? 500,
        `Anthropic stream error ${kind}: ${String(error.message)}`,
      );
    }
    if (type === 'message_start' && isObject(data?.message)) this.countUsage(data.message.usage);
    if (type === 'message_delta') this.countUsage(data?.usage);
    if (type === 'message_stop') this.finished = true;
    if (!this.started && (type === 'message_start' || type === 'ping')) {
      this.held.push(event);
      return [];
    }
    this.started = true;
    const out = [...this.held, event];
    this.held = [];
    return out;
  }

  end(): SseEvent[] {
    return [];
  }

  failureEvents(message: string): SseEvent[] {
    return [
      { event: 'error', data: JSON.stringify({ type: 'error', error: { type: 'api_error', message } }) },
    ];
  }

  private countUsage(usage: unknown): void {
    if (!isObject(usage)) return;
    for (const [name, value] of Object.entries(usage)) if (value !== null) this.rawUsage[name] = value;
    this.counts = anthropicUsage(this.rawUsage);
  }
}

function parse(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
