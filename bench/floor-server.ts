import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Agent } from 'undici';

// The floor: the least a proxy can do on this machine (read the body, parse it, forward it with a
// pooled undici client, read the answer, parse it, send it). What the gateway adds is measured
// against the mock directly, and this shows how much of that any proxy would cost here.
// With REDIS_URL it also does the least a proxy sharing its limits through Redis can do: one
// command answered before forwarding (a counter increment) and one sent after the response
// without waiting for it (the tokens spent), on one ioredis connection.
const upstream = new URL(process.env.UPSTREAM_URL ?? '');
const agent = new Agent({ connections: 128 });
const redis = process.env.REDIS_URL
  ? new Redis(process.env.REDIS_URL, { enableAutoPipelining: process.env.REDIS_AUTO_PIPELINING === 'true' })
  : undefined;
const counter = `${process.env.REDIS_KEY_PREFIX ?? 'switchyard-bench-floor:'}floor`;

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  if (redis) await redis.incr(counter);
  const answer = await agent.request({
    origin: upstream.origin,
    path: `${upstream.pathname}/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench-upstream' },
    body: JSON.stringify(body),
  });
  const headers: Record<string, string> = { 'content-type': String(answer.headers['content-type']) };
  if (body.stream !== true) {
    const text = await answer.body.text();
    JSON.parse(text);
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(answer.statusCode, headers).end(text);
    if (redis) void redis.incrby(`${counter}:spent`, 30).catch(() => undefined);
    return;
  }
  res.writeHead(answer.statusCode, headers);
  for await (const chunk of answer.body) res.write(chunk);
  res.end();
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`FLOOR_READY ${(server.address() as AddressInfo).port}\n`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
