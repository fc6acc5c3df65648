import { BALANCE_POLICIES, PROVIDER_TYPES, type GroupView } from '../../api/types.js';
import { fromPairs, toPairs, type Pairs } from '../../components/kv-editor.js';

// The group form's state (strings, as the inputs hold them) and its translation to the API body.

export interface GroupFormState {
  groupName: string;
  providerType: (typeof PROVIDER_TYPES)[number];
  baseUrl: string;
  /** New keys to add (create: all of them). */
  apiKeys: string[];
  /** Existing keys the operator removed (edit only). */
  removedKeyIds: number[];
  models: string[];
  modelMap: Pairs;
  balancePolicy: (typeof BALANCE_POLICIES)[number];
  priority: string;
  weight: string;
  retryCount: string;
  timeout: string;
  enabled: boolean;
  parameters: string;
  headers: Pairs;
}

export function emptyGroupForm(): GroupFormState {
  return {
    groupName: '',
    providerType: 'openai',
    baseUrl: '',
    apiKeys: [],
    removedKeyIds: [],
    models: [],
    modelMap: [],
    balancePolicy: 'round_robin',
    priority: '1',
    weight: '1',
    retryCount: '3',
    timeout: '60',
    enabled: true,
    parameters: '',
    headers: [],
  };
}

export function groupFormOf(group: GroupView): GroupFormState {
  return {
    groupName: group.groupName,
    providerType: group.providerType,
    baseUrl: group.baseUrl,
    apiKeys: [],
    removedKeyIds: [],
    models: [...group.models],
    modelMap: toPairs(group.modelMap),
    balancePolicy: group.balancePolicy,
    priority: String(group.priority),
    weight: String(group.weight),
    retryCount: String(group.retryCount),
    timeout: String(group.timeout),
    enabled: group.enabled,
    parameters: Object.keys(group.parameters).length ? JSON.stringify(group.parameters, null, 2) : '',
    headers: toPairs(group.headers),
  };
}

/** Numbers that do not parse go as text, so the server's message names the field. */
function numberOf(text: string): number | string | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

export class ParametersError extends Error {}

/** The PATCH/POST body; `apiKeys` only on create (keys change through their own routes on edit). */
export function groupBody(state: GroupFormState, creating: boolean): Record<string, unknown> {
  let parameters: unknown = null;
  if (state.parameters.trim()) {
    try {
      parameters = JSON.parse(state.parameters);
    } catch {
      throw new ParametersError('parameters must be a JSON object, e.g. {"temperature": 0.7}');
    }
  }
  const body: Record<string, unknown> = {
    groupName: state.groupName.trim(),
    providerType: state.providerType,
    baseUrl: state.baseUrl.trim() || null,
    models: state.models,
    modelMap: fromPairs(state.modelMap),
    balancePolicy: state.balancePolicy,
    priority: numberOf(state.priority),
    weight: numberOf(state.weight),
    retryCount: numberOf(state.retryCount),
    timeout: numberOf(state.timeout),
    enabled: state.enabled,
    parameters,
    headers: fromPairs(state.headers),
  };
  if (creating) body.apiKeys = state.apiKeys;
  return body;
}
