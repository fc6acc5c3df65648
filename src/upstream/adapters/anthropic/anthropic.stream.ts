import { SseEvent, StreamTranslator, TokenUsage, UpstreamStreamError } from '../../adapter.js';
import { isObject } from '../common/chat-request.js';
import {
  AnswerIdentity,
  chunkEvent,
  count,
  DONE_EVENT,
  nowSeconds,
  tokenUsage,
  toolArgumentsDelta,
  toolCallStartDelta,
  usageEvent,
  UsageCounts,
} from '../common/chat-response.js';
import { anthropicFinishReason, anthropicUsage } from './anthropic.response.js';

// Anthropic's stream (https://docs.anthropic.com/en/docs/build-with-claude/streaming) → OpenAI
// chunks: message_start, content_block_start/delta/stop, message_delta, message_stop, ping, error.

const ERROR_STATUSES: Readonly<Record<string, number>> = {
  overloaded_error: 503,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
};

export class AnthropicStreamTranslator implements StreamTranslator {
  private identity: AnswerIdentity = { id: 'msg', model: '', created: nowSeconds() };
  /** The usage fields so far: message_start's, updated by message_delta's cumulative ones. */
  private rawUsage: Record<string, unknown> = {};
  private counts?: UsageCounts;
  /** Anthropic block index → OpenAI tool_calls index, for the blocks that are tool calls. */
  private readonly toolIndexes = new Map<number, number>();
  private roleSent = false;
  private finished = false;

  constructor(private readonly clientWantsUsage: boolean) {}

  get usage(): TokenUsage | undefined {
    return tokenUsage(this.counts);
  }

  get done(): boolean {
    return this.finished;
  }

  push(event: SseEvent): SseEvent[] {
    const data = parse(event.data);
    switch (data?.type) {
      case 'message_start':
        return this.start(isObject(data.message) ? data.message : {});
      case 'content_block_start':
        return this.blockStart(count(data.index), isObject(data.content_block) ? data.content_block : {});
      case 'content_block_delta':
        return this.blockDelta(count(data.index), isObject(data.delta) ? data.delta : {});
      case 'message_delta':
        return this.messageDelta(data);
      case 'message_stop':
        return this.stop();
      case 'error':
        throw streamError(data.error);
      default:
        return []; // ping, content_block_stop, and event types added later
    }
  }

  end(): SseEvent[] {
    return [];
  }

  private start(message: Record<string, unknown>): SseEvent[] {
    this.identity = {
      id: String(message.id ?? 'msg'),
      model: String(message.model ?? ''),
      created: nowSeconds(),
    };
    if (isObject(message.usage)) this.rawUsage = { ...message.usage };
    this.counts = anthropicUsage(message.usage);
    return []; // the role goes out with the first content, so an error before it can still fail over
  }

  private blockStart(index: number, block: Record<string, unknown>): SseEvent[] {
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '')
      return [this.chunk({ content: block.text })];
    if (block.type !== 'tool_use') return [];
    const toolIndex = this.toolIndexes.size;
    this.toolIndexes.set(index, toolIndex);
    return [this.chunk(toolCallStartDelta(toolIndex, String(block.id), String(block.name)))];
  }

  private blockDelta(index: number, delta: Record<string, unknown>): SseEvent[] {
    if (delta.type === 'text_delta' && typeof delta.text === 'string')
      return [this.chunk({ content: delta.text })];
    const toolIndex = this.toolIndexes.get(index);
    if (
      delta.type === 'input_json_delta' &&
      toolIndex !== undefined &&
      typeof delta.partial_json === 'string'
    )
      return delta.partial_json === '' ? [] : [this.chunk(toolArgumentsDelta(toolIndex, delta.partial_json))];
    return []; // thinking, signatures, citations: no OpenAI chat equivalent
  }

  private messageDelta(data: Record<string, unknown>): SseEvent[] {
    // message_delta's usage is cumulative; it may repeat the input counts or leave them out.
    if (isObject(data.usage)) {
      for (const [name, value] of Object.entries(data.usage)) if (value !== null) this.rawUsage[name] = value;
      this.counts = anthropicUsage(this.rawUsage);
    }
    const reason = isObject(data.delta) ? anthropicFinishReason(data.delta.stop_reason) : null;
    return reason === null ? [] : [this.chunk({}, reason)];
  }

  private stop(): SseEvent[] {
    this.finished = true;
    const out: SseEvent[] = [];
    if (!this.roleSent) out.push(this.chunk({ content: '' }));
    if (this.clientWantsUsage && this.counts) out.push(usageEvent(this.identity, this.counts));
    out.push(DONE_EVENT);
    return out;
  }

  private chunk(
    delta: Record<string, unknown>,
    finishReason: ReturnType<typeof anthropicFinishReason> = null,
  ) {
    if (this.roleSent) return chunkEvent(this.identity, delta, finishReason);
    this.roleSent = true;
    return chunkEvent(this.identity, { role: 'assistant', ...delta }, finishReason);
  }
}

function streamError(error: unknown): UpstreamStreamError {
  const type = isObject(error) && typeof error.type === 'string' ? error.type : 'api_error';
  const message = isObject(error) && typeof error.message === 'string' ? error.message : type;
  return new UpstreamStreamError(ERROR_STATUSES[type] ?? 500, `Anthropic stream error ${type}: ${message}`);
}

function parse(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
