import { ApiError, messagesFor, withQuery } from './client.js';

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
});
