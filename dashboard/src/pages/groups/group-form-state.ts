import type { BALANCE_POLICIES, PROVIDER_TYPES, GroupView } from '../../api/types.js';
import { fromPairs, toPairs, type Pairs } from '../../lib/pairs.js';

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
  probeKind: 'models' | 'chat';
  probeModel: string;
  apiVersion: string;
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
    probeKind: 'models',
    probeModel: '',
    apiVersion: '',
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
    probeKind: group.probe.kind,
    probeModel: group.probe.model ?? '',
    apiVersion: group.apiVersion ?? '',
  };
}

/** Numbers that do not parse go as text, so the server's message names the field. */
function numberOf(text: string): number | string | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

/** A mistake found before sending; the message starts with the field's name, like the server's. */
export class FormFieldError extends Error {}

/** The POST body; `apiKeys` only on create (keys change through their own routes on edit). */
export function groupBody(state: GroupFormState, creating: boolean): Record<string, unknown> {
  let parameters: unknown = null;
  if (state.parameters.trim()) {
    try {
      parameters = JSON.parse(state.parameters);
    } catch {
      throw new FormFieldError('parameters must be a JSON object, e.g. {"temperature": 0.7}');
    }
  }
  const probeModel = state.probeKind === 'chat' ? state.probeModel.trim() : '';
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
    probe: probeModel ? { kind: state.probeKind, model: probeModel } : { kind: state.probeKind },
    // The API version only means something to Azure; elsewhere it is left at its default.
    apiVersion: state.providerType === 'azure' ? state.apiVersion.trim() || null : null,
  };
  if (creating) body.apiKeys = state.apiKeys;
  return body;
}

/** The API shows credential-like header values masked (`sk-…abcd`); it never gives them back. */
const looksMasked = (value: string) => value.includes('…');

/**
 * The PATCH body of an edit: only the fields the operator changed, so what the form merely
 * displays is never written back. That matters for headers: a secret header arrives masked, and
 * saving the masked text would replace the secret. When the headers did change, every secret one
 * still showing its mask must be typed again.
 */
export function groupPatch(original: GroupFormState, state: GroupFormState): Record<string, unknown> {
  const before = groupBody(original, false);
  const after = groupBody(state, false);
  const patch = Object.fromEntries(
    Object.entries(after).filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(before[field])),
  );
  if ('headers' in patch) {
    const masked = Object.entries(before.headers as Record<string, string>)
      .filter(
        ([name, value]) => looksMasked(value) && (patch.headers as Record<string, string>)[name] === value,
      )
      .map(([name]) => name);
    if (masked.length)
      throw new FormFieldError(
        `headers: type the value of ${masked.join(', ')} again: it is shown masked, and saving the mask would replace the secret`,
      );
  }
  return patch;
}
