import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GROUP_FILE_FIELDS, PROXY_KEY_FILE_FIELDS } from '../config/declared-config.js';
import { parseConfig } from '../config/parse-config.js';
import { GroupDto } from '../providers/dto/group.dto.js';
import { ProxyKeyDto } from '../proxy-keys/dto/proxy-key.dto.js';
import { validateDeclared } from './declared-validation.js';

// deploy/config.example.json is what users copy: it must load, pass the admin API's rules, and
// show every field a group and a proxy key take.
const EXAMPLE = resolve('deploy/config.example.json');
const VARIABLES = [...readFileSync(EXAMPLE, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]);
const env = Object.fromEntries(
  VARIABLES.map((name) => [
    name,
    name === 'SWITCHYARD_ENCRYPTION_KEY' ? 'a'.repeat(64) : `value-of-${name}-0123456789abcdefghijklmnop`,
  ]),
);

describe('deploy/config.example.json', () => {
  const config = parseConfig({ ...env, CONFIG_FILE: EXAMPLE });

  it('loads with the variables it references set, without plain-text secrets', () => {
    expect(config.declared.warnings).toEqual([]);
    expect(config.admin.password).toBe(env.SWITCHYARD_ADMIN_PASSWORD);
    expect(config.declared.groups.length).toBeGreaterThan(0);
    expect(config.declared.proxyKeys.length).toBeGreaterThan(0);
  });

  it('passes the admin API rules for every entry', () => {
    const problems = [
      ...config.declared.groups.flatMap((entry) => validateDeclared(GroupDto, entry, entry.body).problems),
      ...config.declared.proxyKeys.flatMap((entry) => {
        const { key: _key, ...fields } = entry.body;
        return validateDeclared(ProxyKeyDto, entry, fields).problems;
      }),
    ];
    expect(problems).toEqual([]);
  });

  it('shows every field', () => {
    const used = (entries: typeof config.declared.groups) =>
      new Set(entries.flatMap((entry) => Object.keys(entry.body)));
    expect([...used(config.declared.groups)].sort()).toEqual(Object.values(GROUP_FILE_FIELDS).sort());
    expect([...used(config.declared.proxyKeys)].sort()).toEqual(Object.values(PROXY_KEY_FILE_FIELDS).sort());
  });
});
