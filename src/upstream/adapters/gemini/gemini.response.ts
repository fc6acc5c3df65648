import type { ParsedResponse, UpstreamEndpoint } from '../../adapter.js';
import { isObject } from '../common/chat-request.js';
import {
  chatCompletion,
  count,
  FinishReason,
  nowSeconds,
  OutputChoice,
  OutputToolCall,
  tokenUsage,
  UsageCounts,
} from '../common/chat-response.js';
import { toOpenAiEmbeddings } from './gemini.embeddings.js';
import { idWithSignature } from './gemini.thought-signature.js';

// A Gemini GenerateContentResponse → an OpenAI chat completion
// (https://ai.google.dev/api/generate-content#generatecontentresponse).

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
};

export interface GeminiToolCall extends OutputToolCall {
  /** Gemini sent no id: this one was made up. */
  readonly generatedId: boolean;
  /** The part's `thoughtSignature`, carried inside `id` too. */
  readonly signature?: string;
}

/** One candidate's content: its text (thoughts left out) and its function calls. */
export interface CandidateOutput {
  readonly index: number;
  readonly text: string;
  readonly toolCalls: GeminiToolCall[];
  readonly finishReason: FinishReason | null;
}

export function parseGeminiResponse(
  endpoint: UpstreamEndpoint,
  status: number,
  body: unknown,
  request?: Readonly<Record<string, unknown>>,
): ParsedResponse {
  if (status < 200 || status >= 300 || !isObject(body)) return { body };
  if (endpoint === 'models') return { body: toModelList(body) };
  if (endpoint === 'embeddings') return toOpenAiEmbeddings(body, request);
  const usage = geminiUsage(body.usageMetadata);
  const outputs = candidateOutputs(body);
  const choices: OutputChoice[] =
    outputs.length > 0
      ? outputs.map((output) => ({
          content: output.text !== '' || output.toolCalls.length === 0 ? output.text : null,
          toolCalls: output.toolCalls,
          finishReason: output.finishReason ?? 'stop',
        }))
      : // The prompt itself was blocked (promptFeedback.blockReason): no candidates at all.
        [{ content: null, toolCalls: [], finishReason: 'content_filter' }];
  return {
    body: chatCompletion(answerIdentity(body), choices, usage),
    usage: tokenUsage(usage),
  };
}

export function candidateOutputs(body: Record<string, unknown>): CandidateOutput[] {
  const candidates = Array.isArray(body.candidates) ? (body.candidates as unknown[]) : [];
  const responseId = typeof body.responseId === 'string' ? body.responseId : 'gemini';
  return candidates.filter(isObject).map((candidate, position) => {
    const index = typeof candidate.index === 'number' ? candidate.index : position;
    const parts =
      isObject(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts : [];
    let text = '';
    const toolCalls: GeminiToolCall[] = [];
    for (const part of parts.filter(isObject)) {
      if (typeof part.text === 'string' && part.thought !== true) text += part.text;
      if (isObject(part.functionCall)) {
        const call = part.functionCall;
        // Gemini ids its calls only sometimes; OpenAI clients need one to answer the call.
        const id = typeof call.id === 'string' ? call.id : `call_${responseId}_${index}_${toolCalls.length}`;
        toolCalls.push({
          id: idWithSignature(id, part.thoughtSignature),
          name: String(call.name),
          arguments: JSON.stringify(call.args ?? {}),
          generatedId: typeof call.id !== 'string',
          signature: typeof part.thoughtSignature === 'string' ? part.thoughtSignature : undefined,
        });
      }
    }
    const reason = candidate.finishReason;
    const finishReason =
      typeof reason === 'string'
        ? toolCalls.length > 0 && reason === 'STOP'
          ? 'tool_calls'
          : (FINISH_REASONS[reason] ?? 'stop')
        : null;
    return { index, text, toolCalls, finishReason };
  });
}

/** Thought tokens are output tokens the client pays for, as OpenAI counts reasoning. */
export function geminiUsage(raw: unknown): UsageCounts | undefined {
  if (!isObject(raw)) return undefined;
  return {
    prompt: count(raw.promptTokenCount),
    completion: count(raw.candidatesTokenCount) + count(raw.thoughtsTokenCount),
    cached: count(raw.cachedContentTokenCount),
  };
}

export function answerIdentity(body: Record<string, unknown>) {
  return {
    id: `chatcmpl-${typeof body.responseId === 'string' ? body.responseId : 'gemini'}`,
    model: typeof body.modelVersion === 'string' ? body.modelVersion : '',
    created: nowSeconds(),
  };
}

function toModelList(body: Record<string, unknown>): Record<string, unknown> {
  const models = Array.isArray(body.models) ? body.models.filter(isObject) : [];
  return {
    object: 'list',
    data: models.map((model) => ({
      id: String(model.name).replace(/^models\//, ''),
      object: 'model',
      created: 0,
      owned_by: 'google',
    })),
  };
}
