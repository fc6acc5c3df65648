import { clientIpOf, compileTrust } from './client-ip.js';

describe(clientIpOf.name, () => {
  const loopback = compileTrust(['loopback']);

  it('believes X-Forwarded-For from a trusted hop only', () => {
    expect(clientIpOf('127.0.0.1', '203.0.113.9', loopback)).toBe('203.0.113.9');
    expect(clientIpOf('::ffff:127.0.0.1', '203.0.113.9', loopback)).toBe('203.0.113.9');
    expect(clientIpOf('10.1.2.3', '203.0.113.9', loopback)).toBe('10.1.2.3');
  });

  it('stops at the first untrusted hop, so a client cannot prepend a fake address', () => {
    expect(clientIpOf('127.0.0.1', '1.1.1.1, 198.51.100.4', loopback)).toBe('198.51.100.4');
  });

  it('trusts nothing with false and a number of hops with a count', () => {
    expect(clientIpOf('127.0.0.1', '203.0.113.9', compileTrust(false))).toBe('127.0.0.1');
    const oneHop = compileTrust(1);
    expect(clientIpOf('192.0.2.1', '1.1.1.1, 198.51.100.4', oneHop)).toBe('198.51.100.4');
  });

  it('trusts CIDRs and named ranges', () => {
    const trust = compileTrust(['10.0.0.0/8', 'uniquelocal', 'fd00::/8']);
    expect(clientIpOf('10.9.9.9', '192.168.0.4, 198.51.100.4', trust)).toBe('198.51.100.4');
    expect(clientIpOf('fd00::1', '198.51.100.5', trust)).toBe('198.51.100.5');
    expect(clientIpOf('172.32.0.1', '198.51.100.5', trust)).toBe('172.32.0.1');
  });
});
