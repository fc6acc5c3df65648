import { maskSecret } from './masking.js';

describe('maskSecret', () => {
  it.each([
    ['sk-proj-0123456789abcdef', 'sk-…cdef'],
    ['AIzaSyA0123456789abcdefWXYZ', '…WXYZ'],
    ['sk-short', 'sk-…'],
    ['tiny', '…'],
    ['', '…'],
  ])('%s → %s', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});
