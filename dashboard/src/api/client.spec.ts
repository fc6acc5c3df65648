import { jest } from '@jest/globals';
import { api, ApiError, messagesFor, withQuery } from './client.js';
import { currentToken, setToken } from './session.js';

describe('API client helpers', () => {
  it('leaves empty filters out of the query string', () => {
    expect(withQuery('/admin/logs', { status: '5xx', model: '', groupId: undefined, page: 2 })).toBe(
      '/admin/logs?status=5xx&page=2',
    );
    expect(withQuery('/admin/logs', {})).toBe('/admin/logs');
  });

  it('hands each form field the validation messages that name it', () => {
    const error = new ApiError(400, '…', 'req-1', undefined, [
      'groupName must be 1 to 64 characters',
      'each of apiKeys must be a non-empty key',
      'models must list at least one model or glob',
      'modelMap entry "a" must map to a model name',
    ]);
    expect(messagesFor(error, 'apiKeys')).toEqual(['each of apiKeys must be a non-empty key']);
    expect(messagesFor(error, 'models')).toEqual(['models must list at least one model or glob']);
    expect(messagesFor(error, 'modelMap')).toEqual(['modelMap entry "a" must map to a model name']);
    expect(messagesFor(new Error('x'), 'models')).toEqual([]);
  });

  describe('a 401', () => {
    const realFetch = globalThis.fetch;
    afterEach(() => {
      globalThis.fetch = realFetch;
      setToken(undefined);
    });

    it('ends the session when it answers the token in use', async () => {
      setToken('current');
      globalThis.fetch = jest.fn(async () => new Response('{"message":"Unauthorized"}', { status: 401 }));
      await expect(api('/admin/groups')).rejects.toBeInstanceOf(ApiError);
      expect(currentToken()).toBeUndefined();
    });

    it('leaves a newer token alone (a password change replaced it while the call was out)', async () => {
      setToken('before-change');
      let answer!: (res: Response) => void;
      globalThis.fetch = jest.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
      const call = api('/admin/groups');
      setToken('after-change');
      answer(new Response('{"message":"Unauthorized"}', { status: 401 }));
      await expect(call).rejects.toMatchObject({ status: 401 });
      expect(currentToken()).toBe('after-change');
    });
  });
});
