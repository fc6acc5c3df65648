import { ConfigError } from './config-error.js';
import { parseConfig } from './parse-config.js';

describe('upstream response and stream limits in the configuration', () => {
  it('defaults to 32mb per upstream answer and no maximum stream duration', () => {
    expect(parseConfig({}, '/srv')).toMatchObject({
      upstreamMaxResponseBytes: 32 * 1024 * 1024,
      streamMaxDurationMs: 0,
    });
  });

  it('reads UPSTREAM_MAX_RESPONSE_BYTES like BODY_LIMIT and STREAM_MAX_DURATION_SECONDS in seconds', () => {
    expect(
      parseConfig({ UPSTREAM_MAX_RESPONSE_BYTES: '512kb', STREAM_MAX_DURATION_SECONDS: '900' }, '/srv'),
    ).toMatchObject({ upstreamMaxResponseBytes: 512 * 1024, streamMaxDurationMs: 900_000 });
  });

  it('refuses a size that is not one', () => {
    expect(() => parseConfig({ UPSTREAM_MAX_RESPONSE_BYTES: 'lots' }, '/srv')).toThrow(ConfigError);
  });
});
