import { ConfigError } from './config-error.js';
import { readConfigFile } from './config-file.js';

const KEY = 'sk-sy-0123456789abcdefghijklmnopqrstuvwxyzABCD';
const ENV = { OPENAI_KEY: 'sk-openai-secret-1', CLIENT_KEY: KEY, ORG: 'org-1' };

const read = (file: unknown, env: Record<string, string> = ENV) =>
  readConfigFile('/srv/switchyard.json', env, () => JSON.stringify(file));
const problemsOf = (file: unknown, env: Record<string, string> = ENV): readonly string[] => {
  try {
    read(file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};
const group = (fields: Record<string, unknown> = {}) => ({
  GroupName: 'openai-primary',
  ProviderType: 'openai',
  ApiKeys: ['${OPENAI_KEY}'],
  Models: ['gpt-4o'],
  ...fields,
});
const proxyKey = (fields: Record<string, unknown> = {}) => ({
  Name: 'my-app',
  Key: '${CLIENT_KEY}',
  ...fields,
});

describe('readConfigFile: Groups and ProxyKeys', () => {
  it('gives the admin API bodies, with the references resolved and the settings flattened alongside', () => {
    const sut = read({
      Server: { Port: 8080 },
      Groups: [
        group({ Headers: { 'OpenAI-Organization': '${ORG}' }, Probe: { Kind: 'chat', Model: 'gpt-4o' } }),
      ],
      ProxyKeys: [proxyKey({ Rpm: 100, AllowedGroups: ['openai-primary'] })],
    });
    expect(sut.env).toEqual({ PORT: '8080' });
    expect(sut.declared.groups).toEqual([
      {
        where: 'Groups[0]',
        name: 'openai-primary',
        body: {
          groupName: 'openai-primary',
          providerType: 'openai',
          apiKeys: ['sk-openai-secret-1'],
          models: ['gpt-4o'],
          headers: { 'OpenAI-Organization': 'org-1' },
          probe: { kind: 'chat', model: 'gpt-4o' },
        },
      },
    ]);
    expect(sut.declared.proxyKeys).toEqual([
      {
        where: 'ProxyKeys[0]',
        name: 'my-app',
        body: { name: 'my-app', key: KEY, rpm: 100, allowedGroups: ['openai-primary'] },
      },
    ]);
    expect(sut.declared.warnings).toEqual([]);
  });

  it('resolves references in the settings sections too', () => {
    expect(read({ Auth: { Password: '${PW}' } }, { PW: 'from-env' }).env).toEqual({
      ADMIN_PASSWORD: 'from-env',
    });
  });

  it('takes a group without ApiKeys as a keyless one', () => {
    expect(read({ Groups: [group({ ApiKeys: undefined })] }).declared.groups[0].body.apiKeys).toEqual([]);
  });

  it('rejects unknown fields, naming the nearest known one', () => {
    expect(
      problemsOf({
        Group: [],
        Groups: [group({ GroupNme: 'x', Probe: { Knd: 'models' } })],
        ProxyKeys: [proxyKey({ AllowedGroup: [], Colour: 'red' })],
      }),
    ).toEqual([
      'CONFIG_FILE /srv/switchyard.json: unknown section "Group" (did you mean "Groups"?)',
      'CONFIG_FILE /srv/switchyard.json: unknown field "Groups[0].GroupNme" (did you mean "GroupName"?)',
      'CONFIG_FILE /srv/switchyard.json: unknown field "Groups[0].Probe.Knd" (did you mean "Kind"?)',
      'CONFIG_FILE /srv/switchyard.json: unknown field "ProxyKeys[0].AllowedGroup" (did you mean "AllowedGroups"?)',
      'CONFIG_FILE /srv/switchyard.json: unknown field "ProxyKeys[0].Colour"',
    ]);
  });

  it('wants arrays of objects', () => {
    expect(problemsOf({ Groups: { GroupName: 'x' }, ProxyKeys: ['my-app'] })).toEqual([
      'CONFIG_FILE /srv/switchyard.json: "Groups" must be an array of entries',
      'CONFIG_FILE /srv/switchyard.json: ProxyKeys[0] must be an object',
    ]);
  });

  it('stops on a reference to an unset variable, naming it and never a value', () => {
    const problems = problemsOf({ Groups: [group({ ApiKeys: ['${OPENAI_KEY}', '${OPENAI_KEY_2}'] })] });
    expect(problems).toEqual([
      'CONFIG_FILE /srv/switchyard.json: Groups[0].ApiKeys[1] refers to the environment variable OPENAI_KEY_2, which is not set',
    ]);
    expect(problems.join()).not.toContain('sk-openai-secret-1');
  });

  it('accepts a secret in plain text with a warning that does not repeat it', () => {
    const sut = read({
      Groups: [
        group({ ApiKeys: ['sk-plain-text-key'], Headers: { Authorization: 'Bearer x', 'X-Team': 'a' } }),
      ],
      ProxyKeys: [proxyKey({ Key: KEY })],
    });
    expect(sut.declared.groups[0].body.apiKeys).toEqual(['sk-plain-text-key']);
    expect(sut.declared.warnings).toEqual([
      expect.stringContaining('Groups[0].ApiKeys[0] is a secret written in plain text'),
      expect.stringContaining('Groups[0].Headers.Authorization is a secret written in plain text'),
      expect.stringContaining('ProxyKeys[0].Key is a secret written in plain text'),
    ]);
    expect(sut.declared.warnings.join()).not.toMatch(/sk-plain-text-key|Bearer x|sk-sy-/);
  });

  it('requires names and a strong proxy key, and refuses duplicates without showing a key', () => {
    const problems = problemsOf(
      {
        Groups: [group(), group({ GroupName: 'OpenAI-Primary' }), group({ GroupName: undefined })],
        ProxyKeys: [
          proxyKey(),
          proxyKey({ Name: 'other' }),
          proxyKey({ Name: 'short', Key: '${SHORT}' }),
          { Name: 'x' },
        ],
      },
      { ...ENV, SHORT: 'sk-short' },
    );
    expect(problems.map((problem) => problem.replace('CONFIG_FILE /srv/switchyard.json: ', ''))).toEqual([
      'Groups[2].GroupName is required',
      'ProxyKeys[2].Key must be 32 to 512 printable ASCII characters without spaces (e.g. from openssl rand -base64 32)',
      'ProxyKeys[3].Key is required: the key clients send',
      'Groups[1].GroupName is the same as Groups[0].GroupName',
      'ProxyKeys[1].Key is the same as ProxyKeys[0].Key',
    ]);
    expect(problems.join()).not.toMatch(/sk-short|sk-sy-/);
  });
});
