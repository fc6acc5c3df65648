import { AdminError } from '../common/admin-error.js';
import { validateRequestLogging } from './request-logging.options.js';

describe(validateRequestLogging.name, () => {
  const valid = { enabled: true, detailedContent: false, maxContentLength: 1000, retentionDays: 30 };

  it('accepts a complete, well-typed section', () => {
    expect(validateRequestLogging(valid)).toEqual(valid);
  });

  it.each([
    [{ ...valid, enabled: 'yes' }, 'requestLogging.enabled must be a boolean'],
    [
      { ...valid, maxContentLength: -1 },
      'requestLogging.maxContentLength must be an integer from 0 to 20000',
    ],
    [{ ...valid, maxContentLength: 20_001 }, 'maxContentLength must be an integer'],
    [{ ...valid, retentionDays: 0 }, 'requestLogging.retentionDays must be an integer from 1 to 3650'],
    [{ ...valid, retentionDays: 1.5 }, 'retentionDays must be an integer'],
    [{ ...valid, extra: 1 }, 'unknown fields: extra'],
    [{ enabled: true }, 'requestLogging.detailedContent must be a boolean'],
    [null, 'requestLogging must be an object'],
    [[valid], 'requestLogging must be an object'],
  ])('refuses %j with a 400 naming the field', (input, message) => {
    expect(() => validateRequestLogging(input)).toThrow(AdminError);
    expect(() => validateRequestLogging(input)).toThrow(message);
  });

  it('names every problem at once', () => {
    expect(() => validateRequestLogging({ ...valid, enabled: 1, retentionDays: 'x' })).toThrow(
      /enabled.*; .*retentionDays/,
    );
  });
});
