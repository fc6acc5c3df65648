import { hasEnvReference, resolveEnvReferences } from './env-references.js';

describe(resolveEnvReferences.name, () => {
  it('replaces whole and embedded references anywhere in the tree', () => {
    const sut = resolveEnvReferences(
      { a: '${ONE}', b: ['x-${TWO}-y', 3, true, null], c: { d: 'Bearer ${ONE}' } },
      { ONE: 'first', TWO: 'second' },
    );
    expect(sut.problems).toEqual([]);
    expect(sut.value).toEqual({ a: 'first', b: ['x-second-y', 3, true, null], c: { d: 'Bearer first' } });
  });

  it('names each unset or empty variable and where it is, never a value', () => {
    const sut = resolveEnvReferences(
      { Groups: [{ ApiKeys: ['${SET}', '${MISSING}'] }], Auth: { Password: '${EMPTY}' } },
      { SET: 'sk-secret-value', EMPTY: '' },
    );
    expect(sut.problems).toEqual([
      'Groups[0].ApiKeys[1] refers to the environment variable MISSING, which is not set',
      'Auth.Password refers to the environment variable EMPTY, which is not set',
    ]);
    expect(sut.problems.join()).not.toContain('sk-secret-value');
  });

  it('leaves text that only looks like a reference alone', () => {
    expect(resolveEnvReferences({ a: '$HOME ${1X} {NAME}' }, {}).value).toEqual({ a: '$HOME ${1X} {NAME}' });
  });
});

describe(hasEnvReference.name, () => {
  it.each([
    ['${KEY}', true],
    ['prefix-${KEY}', true],
    ['sk-plain', false],
    ['$KEY', false],
  ])('%s → %s', (text, expected) => expect(hasEnvReference(text)).toBe(expected));
});
