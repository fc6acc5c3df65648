import { parseTrustProxy } from './trust-proxy.js';

describe(parseTrustProxy.name, () => {
  it.each([
    ['false', false],
    ['0', 0],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8 ,192.168.1.7', ['loopback', '10.0.0.0/8', '192.168.1.7']],
    ['::1, fd00::/8', ['::1', 'fd00::/8']],
  ])('reads %j', (text, expected) => {
    expect(parseTrustProxy(text)).toEqual(expected);
  });

  it.each(['true', 'everyone', '10.0.0.0/33', '300.1.1.1', 'fd00::/129', '10.0.0.0/8/1', ',', '99'])(
    'refuses %j',
    (text) => {
      expect(parseTrustProxy(text)).toBeUndefined();
    },
  );
});
