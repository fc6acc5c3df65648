import { UntranslatableRequestError } from '../../adapter.js';
import {
  ChatMessage,
  ContentPart,
  contentParts,
  contentText,
  isObject,
  toolCallsOf,
} from '../common/chat-request.js';
import { signatureOf } from './gemini.thought-signature.js';

// OpenAI chat messages → Gemini `systemInstruction` and `contents` with roles user/model
// (https://ai.google.dev/api/generate-content#request-body, https://ai.google.dev/api/caching#Content).

export type GeminiPart = Record<string, unknown>;

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiConversation {
  readonly systemInstruction?: { parts: GeminiPart[] };
  readonly contents: GeminiContent[];
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
};

export function toGeminiConversation(messages: readonly ChatMessage[]): GeminiConversation {
  const system: string[] = [];
  const contents: GeminiContent[] = [];
  // A tool message carries only the call's id; Gemini's functionResponse wants the function's name.
  const toolNames = new Map<string, string>();
  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(contentText(message.content, at));
        return;
      case 'user':
        return add(contents, 'user', contentParts(message.content, at).map(toPart));
      case 'assistant': {
        const calls = toolCallsOf(message, at);
        for (const call of calls) toolNames.set(call.id, call.name);
        return add(contents, 'model', [
          ...contentParts(message.content, at).map(toPart),
          ...calls.map((call) => {
            const thoughtSignature = signatureOf(call.id);
            return {
              functionCall: { name: call.name, args: call.input },
              ...(thoughtSignature ? { thoughtSignature } : {}),
            };
          }),
        ]);
      }
      case 'tool':
        return add(contents, 'user', [functionResponse(message, toolNames, at)]);
      default:
        throw new UntranslatableRequestError(
          `${at}: role ${message.role} is not supported by Gemini`,
          'messages',
        );
    }
  });
  const text = system.filter((part) => part !== '').join('\n\n');
  return text === '' ? { contents } : { systemInstruction: { parts: [{ text }] }, contents };
}

function add(contents: GeminiContent[], role: GeminiContent['role'], parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents.at(-1);
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function functionResponse(message: ChatMessage, toolNames: Map<string, string>, at: string): GeminiPart {
  const name = typeof message.tool_call_id === 'string' ? toolNames.get(message.tool_call_id) : undefined;
  if (name === undefined)
    throw new UntranslatableRequestError(
      `${at}: a tool message must answer a tool call of an earlier assistant message`,
      'messages',
    );
  const text = contentText(message.content, at);
  // Gemini wants an object; its documented key for a plain result is `output`.
  let response: Record<string, unknown> = { output: text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) response = parsed;
  } catch {
    // plain text: kept under `output`
  }
  return { functionResponse: { name, response } };
}

function toPart(part: ContentPart): GeminiPart {
  switch (part.kind) {
    case 'text':
      return { text: part.text };
    case 'image-data':
      return { inlineData: { mimeType: part.mediaType, data: part.data } };
    case 'image-url':
      return { fileData: { mimeType: imageTypeOf(part.url), fileUri: part.url } };
  }
}

function imageTypeOf(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return (extension && IMAGE_TYPES[extension]) ?? 'image/jpeg';
}
