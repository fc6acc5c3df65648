import { UntranslatableRequestError } from '../../adapter.js';
import { isObject } from '../common/chat-request.js';

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

/** Gemini reports no token counts for embeddings: the answer carries zeros. */
export function toOpenAiEmbeddings(
  body: Record<string, unknown>,
  request: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const base64 = request?.encoding_format === 'base64';
  const embeddings = Array.isArray(body.embeddings) ? (body.embeddings as unknown[]) : [];
  return {
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
    usage: { prompt_tokens: 0, total_tokens: 0 },
  };
}

function embeddingTexts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((entry) => typeof entry === 'string')) return input as string[];
  throw new UntranslatableRequestError('Gemini embeddings take a string or an array of strings', 'input');
}
