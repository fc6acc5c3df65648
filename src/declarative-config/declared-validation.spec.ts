import { GroupDto } from '../providers/dto/group.dto.js';
import { ProxyKeyDto } from '../proxy-keys/dto/proxy-key.dto.js';
import { inFileNames, validateDeclared } from './declared-validation.js';

const entry = { where: 'Groups[0]', name: 'g', body: {} };

describe(validateDeclared.name, () => {
  it('runs the admin API rules and answers in the file names, never with a key', () => {
    const { problems } = validateDeclared(GroupDto, entry, {
      groupName: 'g',
      providerType: 'openai',
      apiKeys: ['sk has spaces'],
      models: [],
      retryCount: 11,
      probe: { kind: 'ping' },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^Groups\[0\] "g": each of ApiKeys must be 1 to 4096 printable ASCII/),
      'Groups[0] "g": Models must list at least one model or glob',
      'Groups[0] "g": RetryCount must not be greater than 10',
      'Groups[0] "g": Probe.kind must be one of: models, chat',
    ]);
    expect(problems.join()).not.toContain('sk has spaces');
  });

  it('gives the DTO instance of a valid body', () => {
    const { value, problems } = validateDeclared(
      ProxyKeyDto,
      { where: 'ProxyKeys[0]', name: 'k', body: {} },
      { name: 'k', rpm: 10, allowedGroups: ['g'] },
    );
    expect(problems).toEqual([]);
    expect(value).toBeInstanceOf(ProxyKeyDto);
    expect(value).toEqual(expect.objectContaining({ name: 'k', rpm: 10 }));
  });
});

describe(inFileNames.name, () => {
  it.each([
    ['baseUrl is required for providerType azure', 'BaseUrl is required for ProviderType azure'],
    ['allowedGroups names unknown groups: x', 'AllowedGroups names unknown groups: x'],
    ['timeout must not be less than 1', 'Timeout must not be less than 1'],
    ['each of allowedGroups must be a group name', 'each of AllowedGroups must be a group name'],
  ])('%s', (message, expected) => expect(inFileNames(message)).toBe(expected));
});
