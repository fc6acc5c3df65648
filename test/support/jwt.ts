import { createHmac } from 'node:crypto';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Hand-made JWTs for the guard tests: any header, any payload, signed with any secret (or not). */
export function craftJwt(payload: object, options: { secret?: string; alg?: string } = {}): string {
  const alg = options.alg ?? 'HS256';
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(payload)}`;
  if (alg === 'none') return `${unsigned}.`;
  const signature = createHmac('sha256', options.secret ?? 'some-other-secret')
    .update(unsigned)
    .digest('base64url');
  return `${unsigned}.${signature}`;
}
