import { SseEvent, StreamTranslator, TokenUsage, UpstreamStreamError } from '../../adapter.js';
import { isObject } from '../common/chat-request.js';
import {
  AnswerIdentity,
  chunkEvent,
  DONE_EVENT,
  FinishReason,
  tokenUsage,
  toolCallStartDelta,
  usageEvent,
  UsageCounts,
} from '../common/chat-response.js';
import { answerIdentity, candidateOutputs, geminiUsage } from './gemini.response.js';
import { idWithSignature } from './gemini.thought-signature.js';

// Gemini's `streamGenerateContent?alt=sse`: every event is a whole GenerateContentResponse holding
// the next piece of each candidate; function calls arrive whole; there is no terminal event, so the
// finish reason marks the end and `[DONE]` follows when the body ends.

export class GeminiStreamTranslator implements StreamTranslator {
  private identity?: AnswerIdentity;
  private counts?: UsageCounts;
  /** Per candidate: how many tool calls it streamed so far (their OpenAI indexes). */
  private readonly toolCounts = new Map<number, number>();
  private readonly roleSent = new Set<number>();
  private finished = false;

  constructor(private readonly clientWantsUsage: boolean) {}

  get usage(): TokenUsage | undefined {
    return tokenUsage(this.counts);
  }

  get done(): boolean {
    return this.finished;
  }

  push(event: SseEvent): SseEvent[] {
    const body = parse(event.data);
    if (body === undefined) return [];
    if (isObject(body.error)) throw streamError(body.error);
    this.identity ??= answerIdentity(body);
    this.counts = geminiUsage(body.usageMetadata) ?? this.counts;
    const out: SseEvent[] = [];
    const outputs = candidateOutputs(body);
    if (outputs.length === 0 && isObject(body.promptFeedback) && body.promptFeedback.blockReason) {
      out.push(this.chunk(0, {}, 'content_filter'));
      this.finished = true;
    }
    for (const output of outputs) {
      if (output.text !== '') out.push(this.chunk(output.index, { content: output.text }));
      for (const call of output.toolCalls) {
        const toolIndex = this.toolCounts.get(output.index) ?? 0;
        this.toolCounts.set(output.index, toolIndex + 1);
        // Made-up ids count per chunk; across the stream they must count per candidate.
        const id = call.generatedId
          ? idWithSignature(`call_${responseIdOf(body)}_${output.index}_${toolIndex}`, call.signature)
          : call.id;
        out.push(this.chunk(output.index, toolCallStartDelta(toolIndex, id, call.name, call.arguments)));
      }
      if (output.finishReason !== null) {
        const reason =
          (this.toolCounts.get(output.index) ?? 0) > 0 && output.finishReason === 'stop'
            ? 'tool_calls'
            : output.finishReason;
        out.push(this.chunk(output.index, {}, reason));
        this.finished = true;
      }
    }
    return out;
  }

  end(): SseEvent[] {
    if (!this.finished || !this.identity) return [];
    return this.clientWantsUsage && this.counts
      ? [usageEvent(this.identity, this.counts), DONE_EVENT]
      : [DONE_EVENT];
  }

  private chunk(
    index: number,
    delta: Record<string, unknown>,
    finishReason: FinishReason | null = null,
  ): SseEvent {
    const identity = this.identity as AnswerIdentity;
    if (this.roleSent.has(index)) return chunkEvent(identity, delta, finishReason, index);
    this.roleSent.add(index);
    return chunkEvent(identity, { role: 'assistant', ...delta }, finishReason, index);
  }
}

function streamError(error: Record<string, unknown>): UpstreamStreamError {
  const code = typeof error.code === 'number' ? error.code : 500;
  const message = typeof error.message === 'string' ? error.message : 'error';
  return new UpstreamStreamError(code, `Gemini stream error ${code}: ${message}`);
}

function responseIdOf(body: Record<string, unknown>): string {
  return typeof body.responseId === 'string' ? body.responseId : 'gemini';
}

function parse(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
