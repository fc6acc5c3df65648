import type { SseEvent, StreamTranslator, TokenUsage } from '../../adapter.js';
import { responsesUsage } from './openai.response.js';

// The Responses API streams typed events (https://platform.openai.com/docs/api-reference/responses-streaming)
// and no `[DONE]`: it ends with `response.completed`, `response.incomplete` or `response.failed`,
// whose `response.usage` holds the counts. Events pass through unchanged.
const TERMINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export class ResponsesStreamTranslator implements StreamTranslator {
  private latestUsage?: TokenUsage;
  private finished = false;

  get usage(): TokenUsage | undefined {
    return this.latestUsage;
  }

  get done(): boolean {
    return this.finished;
  }

  push(event: SseEvent): SseEvent[] {
    const type = event.event ?? typeOf(event.data);
    if (type !== undefined && TERMINAL_EVENTS.has(type)) {
      this.finished = true;
      try {
        const parsed = JSON.parse(event.data) as { response?: { usage?: unknown } };
        this.latestUsage = responsesUsage(parsed.response?.usage) ?? this.latestUsage;
      } catch {
        // not ours to judge: passed on as it came
      }
    }
    return [event];
  }

  end(): SseEvent[] {
    return [];
  }
}

// Only the terminal events are parsed; the type is read from the data when no `event:` line names it.
function typeOf(data: string): string | undefined {
  const match = /"type"\s*:\s*"(response\.(?:completed|incomplete|failed))"/.exec(data.slice(0, 200));
  return match?.[1];
}
