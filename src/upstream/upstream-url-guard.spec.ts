import { assertAllowedUpstreamUrl, classifyAddress, UpstreamUrlRefusedError } from './upstream-url-guard.js';

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
    'http://0xa9fea9fe/',
    'http://0251.0376.0251.0376/', // octal
    'http://169.254.43518/', // two-part form
    'http://169.254.10.10/', // anywhere in link-local
    'http://100.100.100.200/', // Alibaba Cloud
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'http://[::169.254.169.254]/', // IPv4-compatible
    'http://[::a9fe:a9fe]/',
    'http://[64:ff9b::a9fe:a9fe]/', // NAT64
    'http://[64:ff9b::169.254.169.254]/',
    'http://[2002:a9fe:a9fe::1]/', // 6to4
    'http://[fd00:ec2::254]/',
    'http://[fe80::1]/',
    'http://[febf:ffff::1]/', // end of fe80::/10
    'http://metadata.google.internal/computeMetadata/v1',
    'http://METADATA.GOOGLE.INTERNAL./',
  ])('always refuses the cloud metadata or link-local address %s', (url) => {
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
    'http://0.0.0.0:8000/',
    'http://2130706433/', // 127.0.0.1 as one number
    'http://0x7f.1/',
    'http://[::1]:8000/v1',
    'http://[::]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[64:ff9b::a00:1]/', // NAT64 of 10.0.0.1
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
    'http://[fec0::1]/', // just past fe80::/10
    'http://[64:ff9b::808:808]/', // NAT64 of 8.8.8.8
    'http://169.255.0.1/',
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

describe(classifyAddress.name, () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['169.254.0.1', 'metadata'],
    ['169.254.255.255', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::169.254.169.254', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::100.100.100.200', 'metadata'],
    ['127.0.0.1', 'private'],
    ['10.0.0.5', 'private'],
    ['172.20.1.1', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['0.0.0.0', 'private'],
    ['::1', 'private'],
    ['::', 'private'],
    ['fd12::1', 'private'],
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['64:ff9b::7f00:1', 'private'],
    ['8.8.8.8', 'public'],
    ['100.128.0.1', 'public'],
    ['172.32.0.1', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['64:ff9b::808:808', 'public'],
  ])('classifies %s as %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });
});
