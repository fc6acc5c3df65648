import { sqliteLiteral } from './usage-writer.service.js';

describe(sqliteLiteral.name, () => {
  it.each([
    [null, 'NULL'],
    [undefined, 'NULL'],
    [42, '42'],
    [-1.5, '-1.5'],
    [Number.NaN, 'NULL'],
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ["'); DROP TABLE request_logs; --", "'''); DROP TABLE request_logs; --'"],
    ['a\u0000b', "'ab'"],
    ['back\\slash "quotes"', `'back\\slash "quotes"'`],
  ])('writes %j as %s', (value, literal) => expect(sqliteLiteral(value)).toBe(literal));
});
