import { MockUpstream } from '../test/support/mock-upstream.js';

// A fake OpenAI-compatible upstream in its own process: the benchmark's (so it does not share an
// event loop with the load), and `npm run mock-upstream`'s, to try the gateway without a model
// server. It answers any model; `MOCK_PORT` picks the port (default: any free one).
const mock = await MockUpstream.start({ record: false, port: Number(process.env.MOCK_PORT ?? 0) });
process.stdout.write(`MOCK_READY ${mock.baseUrl}\n`);
process.on('SIGTERM', () => void mock.stop().then(() => process.exit(0)));
process.on('SIGINT', () => void mock.stop().then(() => process.exit(0)));
