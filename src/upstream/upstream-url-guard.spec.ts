import { assertAllowedUpstreamUrl, UpstreamUrlRefusedError } from './upstream-url-guard.js';

const allowed = (url: string, denyPrivate: boolean): boolean => {
  try {
    assertAllowedUpstreamUrl(url, { denyPrivate });
    return true;
  } catch (error) {
    if (!(error instanceof UpstreamUrlRefusedError)) throw error;
    return false;
  }
};

describe(assertAllowedUpstreamUrl.name, () => {
  it.each([
    'http://169.254.169.254/latest/meta-data',
    'http://2852039166/', // 169.254.169.254 as one number
    'http://0xA9.0xFE.0xA9.0xFE/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fd00:ec2::254]/',
    'http://metadata.google.internal/computeMetadata/v1',
    'http://METADATA.GOOGLE.INTERNAL./',
  ])('always refuses the cloud metadata address %s', (url) => {
    expect(allowed(url, false)).toBe(false);
    expect(allowed(url, true)).toBe(false);
  });

  it.each([
    'http://127.0.0.1:8080/v1',
    'http://127.8.9.10/',
    'http://10.1.2.3/v1',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.1.10:11434/v1',
    'http://100.64.0.1/',
    'http://169.254.10.10/',
    'http://0.0.0.0:8000/',
    'http://[::1]:8000/v1',
    'http://[::]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://localhost:8000/v1',
    'http://api.localhost/',
  ])('refuses the loopback/private address %s only when denyPrivate is on', (url) => {
    expect(allowed(url, false)).toBe(true);
    expect(allowed(url, true)).toBe(false);
  });

  it.each([
    'https://api.openai.com/v1',
    'https://fixture.openai.azure.com',
    'http://8.8.8.8/',
    'http://172.32.0.1/',
    'http://100.128.0.1/',
    'http://[2001:db8::1]/',
    'http://localhost.example.com/',
  ])('allows the public address %s', (url) => {
    expect(allowed(url, true)).toBe(true);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/', 'not a url', '/v1/relative'])(
    'refuses %s (not an absolute http(s) URL)',
    (url) => {
      expect(allowed(url, false)).toBe(false);
    },
  );

  it('names the host but never echoes credentials from the URL', () => {
    expect(() =>
      assertAllowedUpstreamUrl('http://user:sk-secret@127.0.0.1/v1', { denyPrivate: true }),
    ).toThrow(/127\.0\.0\.1/);
    expect(() =>
      assertAllowedUpstreamUrl('http://user:sk-secret@127.0.0.1/v1', { denyPrivate: true }),
    ).not.toThrow(/sk-secret/);
  });
});
