import type { SseEvent, StreamTranslator, TokenUsage } from '../../upstream/adapter.js';
import { isObject } from '../../upstream/adapters/common/chat-request.js';
import { anthropicStopReason, anthropicUsageOf } from './chat-to-message.js';

// OpenAI chat chunks (as the group's adapter hands them over) as Anthropic's stream events
// (https://docs.anthropic.com/en/docs/build-with-claude/streaming). message_start waits for the
// first content, so a failure before it can still fail over; message_delta waits for `[DONE]`,
// since OpenAI's usage chunk comes after the finish reason.

type Block = { kind: 'text' } | { kind: 'tool'; openAiIndex: number };

export class ChatToMessageStream implements StreamTranslator {
  private id = 'msg_switchyard';
  private model: unknown = '';
  private started = false;
  private block?: Block;
  private blocks = 0;
  private stopReason: string | null = null;
  private usageJson: unknown;
  private finished = false;

  constructor(private readonly inner: StreamTranslator) {}

  get usage(): TokenUsage | undefined {
    return this.inner.usage;
  }

  get done(): boolean {
    return this.finished;
  }

  push(event: SseEvent): SseEvent[] {
    return this.inner.push(event).flatMap((chunk) => this.convert(chunk));
  }

  end(): SseEvent[] {
    return this.inner.end().flatMap((chunk) => this.convert(chunk));
  }

  failureEvents(message: string): SseEvent[] {
    return [anthropicEvent('error', { type: 'error', error: { type: 'api_error', message } })];
  }

  private convert(chunk: SseEvent): SseEvent[] {
    if (chunk.data === '[DONE]') return this.finish();
    let data: unknown;
    try {
      data = JSON.parse(chunk.data);
    } catch {
      return [];
    }
    if (!isObject(data)) return [];
    if (typeof data.id === 'string') this.id = `msg_${data.id.replace(/^chatcmpl-/, '')}`;
    if (data.model) this.model = data.model;
    if (isObject(data.usage)) this.usageJson = data.usage;
    const choice = Array.isArray(data.choices) && isObject(data.choices[0]) ? data.choices[0] : undefined;
    if (!choice || (typeof choice.index === 'number' && choice.index !== 0)) return [];
    const out: SseEvent[] = [];
    const delta = isObject(choice.delta) ? choice.delta : {};
    if (typeof delta.content === 'string' && delta.content !== '') {
      if (this.block?.kind !== 'text') out.push(...this.open({ kind: 'text' }, { type: 'text', text: '' }));
      out.push(this.delta({ type: 'text_delta', text: delta.content }));
    }
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls.filter(isObject) : []) {
      const fn = isObject(call.function) ? call.function : {};
      const index = typeof call.index === 'number' ? call.index : 0;
      if (typeof call.id === 'string' || this.block?.kind !== 'tool' || this.block.openAiIndex !== index)
        out.push(
          ...this.open(
            { kind: 'tool', openAiIndex: index },
            { type: 'tool_use', id: call.id, name: fn.name, input: {} },
          ),
        );
      if (typeof fn.arguments === 'string' && fn.arguments !== '')
        out.push(this.delta({ type: 'input_json_delta', partial_json: fn.arguments }));
    }
    if (choice.finish_reason) this.stopReason = anthropicStopReason(choice.finish_reason);
    return out;
  }

  private open(block: Block, contentBlock: Record<string, unknown>): SseEvent[] {
    const out = [...this.start(), ...this.close()];
    this.block = block;
    out.push(
      anthropicEvent('content_block_start', {
        type: 'content_block_start',
        index: this.blocks,
        content_block: contentBlock,
      }),
    );
    return out;
  }

  private delta(delta: Record<string, unknown>): SseEvent {
    return anthropicEvent('content_block_delta', { type: 'content_block_delta', index: this.blocks, delta });
  }

  private close(): SseEvent[] {
    if (!this.block) return [];
    this.block = undefined;
    const event = anthropicEvent('content_block_stop', { type: 'content_block_stop', index: this.blocks });
    this.blocks += 1;
    return [event];
  }

  private start(): SseEvent[] {
    if (this.started) return [];
    this.started = true;
    const message = {
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return [anthropicEvent('message_start', { type: 'message_start', message })];
  }

  private finish(): SseEvent[] {
    this.finished = true;
    return [
      ...this.start(),
      ...this.close(),
      anthropicEvent('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: this.stopReason ?? 'end_turn', stop_sequence: null },
        usage: anthropicUsageOf(this.usageJson),
      }),
      anthropicEvent('message_stop', { type: 'message_stop' }),
    ];
  }
}

export function anthropicEvent(name: string, data: object): SseEvent {
  return { event: name, data: JSON.stringify(data) };
}
