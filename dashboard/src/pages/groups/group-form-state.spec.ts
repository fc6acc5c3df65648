import type { GroupView } from '../../api/types.js';
import { FormFieldError, groupBody, groupFormOf, groupPatch } from './group-form-state.js';

// A group as GET /admin/groups shows it: the Authorization header's secret masked.
const group: GroupView = {
  id: 7,
  groupName: 'primary',
  providerType: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  models: ['gpt-4o'],
  modelMap: {},
  balancePolicy: 'round_robin',
  retryCount: 3,
  timeout: 60,
  priority: 1,
  weight: 1,
  enabled: true,
  parameters: {},
  headers: { Authorization: 'sk-…abcd', 'X-Team': 'search' },
  probe: { kind: 'models' },
  keys: [],
};

describe('group form', () => {
  it('sends only what the operator changed on edit (an untouched masked header is never written back)', () => {
    const original = groupFormOf(group);
    expect(groupPatch(original, original)).toEqual({});
    expect(groupPatch(original, { ...original, weight: '3', enabled: false })).toEqual({
      weight: 3,
      enabled: false,
    });
  });

  it('asks for a masked secret header again when the headers changed', () => {
    const original = groupFormOf(group);
    const added = {
      ...original,
      headers: [...original.headers, ['X-Env', 'prod']] as Array<[string, string]>,
    };
    expect(() => groupPatch(original, added)).toThrow(FormFieldError);
    expect(() => groupPatch(original, added)).toThrow(/^headers: type the value of Authorization again/);

    const retyped = {
      ...added,
      headers: added.headers.map(([name, value]) =>
        name === 'Authorization' ? [name, 'Bearer real-secret'] : [name, value],
      ) as Array<[string, string]>,
    };
    expect(groupPatch(original, retyped)).toEqual({
      headers: { Authorization: 'Bearer real-secret', 'X-Team': 'search', 'X-Env': 'prod' },
    });
    const dropped = { ...original, headers: original.headers.filter(([name]) => name !== 'Authorization') };
    expect(groupPatch(original, dropped)).toEqual({ headers: { 'X-Team': 'search' } });
  });

  it('carries the probe and, for Azure only, the API version', () => {
    const state = { ...groupFormOf(group), probeKind: 'chat' as const, probeModel: ' gpt-4o ' };
    expect(groupBody(state, false).probe).toEqual({ kind: 'chat', model: 'gpt-4o' });
    expect(groupBody({ ...state, probeKind: 'models' }, false).probe).toEqual({ kind: 'models' });
    expect(groupBody({ ...state, apiVersion: '2024-10-21' }, false).apiVersion).toBeNull();
    expect(
      groupBody({ ...state, providerType: 'azure', apiVersion: '2024-10-01-preview' }, false).apiVersion,
    ).toBe('2024-10-01-preview');
  });

  it('names the parameters field when its JSON does not parse, and keys only on create', () => {
    const state = groupFormOf(group);
    expect(() => groupBody({ ...state, parameters: '{temperature' }, false)).toThrow(/^parameters must be/);
    expect(groupBody({ ...state, apiKeys: ['sk-new-key-0000'] }, true).apiKeys).toEqual(['sk-new-key-0000']);
    expect(groupBody({ ...state, apiKeys: ['sk-new-key-0000'] }, false)).not.toHaveProperty('apiKeys');
  });
});
