import { MockUpstream } from '../test/support/mock-upstream.js';

// The benchmark's upstream, in its own process so it does not share an event loop with the load.
const mock = await MockUpstream.start({ record: false });
process.stdout.write(`MOCK_READY ${mock.baseUrl}\n`);
process.on('SIGTERM', () => void mock.stop().then(() => process.exit(0)));
