// Gemini's thinking models sign their function calls (`thoughtSignature` on the part) and refuse a
// later turn whose function calls come back without the signature. OpenAI clients keep nothing
// but the tool call's id, so the signature travels inside the id and is taken out on the way back.

const MARK = '__thought__';

export function idWithSignature(id: string, signature: unknown): string {
  return typeof signature === 'string' && signature !== '' ? `${id}${MARK}${signature}` : id;
}

export function signatureOf(id: string): string | undefined {
  const at = id.indexOf(MARK);
  return at === -1 ? undefined : id.slice(at + MARK.length);
}
