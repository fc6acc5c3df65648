import { redactorOfGroup, redactorOfGroups, SecretRedactor, SHAPE_REDACTOR } from './known-secrets.js';

const group = (...secrets: string[]) => ({ keys: secrets.map((secret) => ({ secret })) });

describe('SecretRedactor', () => {
  it('replaces known secrets that have no recognisable shape', () => {
    const redactor = new SecretRedactor(['plainUpstreamKey123']);
    expect(redactor.redact('Invalid key plainUpstreamKey123, again plainUpstreamKey123.')).toBe(
      'Invalid key [redacted], again [redacted].',
    );
  });

  it('still redacts by shape, and treats regex characters in a secret literally', () => {
    const redactor = new SecretRedactor(['a.b*c+d?(e)']);
    expect(redactor.redact('x a.b*c+d?(e) y sk-abcdefghij')).toBe('x [redacted] y [redacted]');
    expect(redactor.redact('aXb*c+d?(e)')).toBe('aXb*c+d?(e)');
  });

  it('replaces a longer secret whole when it contains a shorter one', () => {
    const redactor = new SecretRedactor(['keyAAAAAA', 'keyAAAAAAextended']);
    expect(redactor.redact('got keyAAAAAAextended')).toBe('got [redacted]');
  });

  it('adds the request proxy key on top of the snapshot keys', () => {
    const redactor = redactorOfGroups({ groups: [group('upstreamOne111')] }).with('proxyKey2222');
    expect(redactor.redact('upstreamOne111 proxyKey2222')).toBe('[redacted] [redacted]');
  });

  it('ignores values too short to be secrets', () => {
    expect(new SecretRedactor(['ab']).redact('tab cab')).toBe('tab cab');
    expect(SHAPE_REDACTOR.with('abc')).toBe(SHAPE_REDACTOR);
  });

  it('builds one redactor per snapshot or group object', () => {
    const snapshot = { groups: [group('firstKey0001'), group('secondKey0002')] };
    expect(redactorOfGroups(snapshot)).toBe(redactorOfGroups(snapshot));
    expect(redactorOfGroups(snapshot).redact('secondKey0002')).toBe('[redacted]');
    const one = group('groupOnlyKey03');
    expect(redactorOfGroup(one)).toBe(redactorOfGroup(one));
    expect(redactorOfGroup(one).redact('groupOnlyKey03 firstKey0001')).toBe('[redacted] firstKey0001');
  });
});
