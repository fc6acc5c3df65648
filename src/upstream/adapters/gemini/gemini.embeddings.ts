import { type ParsedResponse, UntranslatableRequestError } from '../../adapter.js';
import { isObject } from '../common/chat-request.js';
import { count, tokenUsage } from '../common/chat-response.js';

// OpenAI embeddings ↔ Gemini `batchEmbedContents` (https://ai.google.dev/api/embeddings).

export function toBatchEmbedBody(
  body: Readonly<Record<string, unknown>>,
  model: string,
): Record<string, unknown> {
  const dimensions = body.dimensions;
  return {
    requests: embeddingTexts(body.input).map((text) => ({
      model: `models/${decodeURIComponent(model)}`,
      content: { parts: [{ text }] },
      ...(typeof dimensions === 'number' ? { outputDimensionality: dimensions } : {}),
    })),
  };
}

/**
 * The answer in OpenAI's shape, with the prompt tokens Gemini reports in `usageMetadata`
 * (EmbeddingUsageMetadata). Older API surfaces leave it out: the answer then carries zeros, as
 * OpenAI clients expect a `usage` object, and no usage is recorded (unknown, not zero).
 */
export function toOpenAiEmbeddings(
  body: Record<string, unknown>,
  request: Readonly<Record<string, unknown>> | undefined,
): ParsedResponse {
  const base64 = request?.encoding_format === 'base64';
  const embeddings = Array.isArray(body.embeddings) ? (body.embeddings as unknown[]) : [];
  const reported = isObject(body.usageMetadata) ? count(body.usageMetadata.promptTokenCount) : undefined;
  const prompt = reported ?? 0;
  return {
    body: {
      object: 'list',
      data: embeddings.map((embedding, index) => {
        const values =
          isObject(embedding) && Array.isArray(embedding.values) ? (embedding.values as number[]) : [];
        return {
          object: 'embedding',
          index,
          // The openai SDK asks for base64 unless told otherwise: little-endian float32, as OpenAI sends.
          embedding: base64 ? Buffer.from(new Float32Array(values).buffer).toString('base64') : values,
        };
      }),
      model: typeof request?.model === 'string' ? request.model : '',
      usage: { prompt_tokens: prompt, total_tokens: prompt },
    },
    usage: reported === undefined ? undefined : tokenUsage({ prompt: reported, completion: 0 }),
  };
}

function embeddingTexts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((entry) => typeof entry === 'string')) return input as string[];
  throw new UntranslatableRequestError('Gemini embeddings take a string or an array of strings', 'input');
}
