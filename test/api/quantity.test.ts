import { describe, expect, it } from 'vitest';
import {
  parseQuantity, Quantity, QUANTITY_FORMAT_ERROR, QUANTITY_NUMERIC_ERROR, QUANTITY_SUFFIX_ERROR, QuantityError,
  quantityError, unmarshalQuantity, type QuantityFormat,
} from '../../lib/api/quantity.ts';

const DSI: QuantityFormat = 'DecimalSI';
const BSI: QuantityFormat = 'BinarySI';
const DE: QuantityFormat = 'DecimalExponent';
const MAX_INT64 = '9223372036854775807';

/** Upstream's decQuantity(m, e, format): exactly m * 10^e in the given format. */
function dec(m: bigint | number | string, e: number, format: QuantityFormat): Quantity {
  return parseQuantity(`${m}e${e}`).withFormat(format);
}

// Upstream: apimachinery pkg/api/resource quantity_test.go TestQuantityParse.
describe('parseQuantity (TestQuantityParse)', () => {
  const Ki = 1024n;
  const table: Array<[string, Quantity]> = [
    ['0', dec(0, 0, DSI)], ['0n', dec(0, 0, DSI)], ['0u', dec(0, 0, DSI)], ['0m', dec(0, 0, DSI)],
    ['0Ki', dec(0, 0, BSI)], ['0k', dec(0, 0, DSI)], ['0Mi', dec(0, 0, BSI)], ['0M', dec(0, 0, DSI)],
    ['0Gi', dec(0, 0, BSI)], ['0G', dec(0, 0, DSI)], ['0Ti', dec(0, 0, BSI)], ['0T', dec(0, 0, DSI)],
    // Quantity less numbers are allowed
    ['1', dec(1, 0, DSI)],
    // Binary suffixes
    ['1Ki', dec(Ki, 0, BSI)], ['8Ki', dec(8n * Ki, 0, BSI)], ['7Mi', dec(7n * Ki ** 2n, 0, BSI)],
    ['6Gi', dec(6n * Ki ** 3n, 0, BSI)], ['5Ti', dec(5n * Ki ** 4n, 0, BSI)], ['4Pi', dec(4n * Ki ** 5n, 0, BSI)],
    ['3Ei', dec(3n * Ki ** 6n, 0, BSI)], ['10Ti', dec(10n * Ki ** 4n, 0, BSI)], ['100Ti', dec(100n * Ki ** 4n, 0, BSI)],
    // Decimal suffixes
    ['5n', dec(5, -9, DSI)], ['4u', dec(4, -6, DSI)], ['3m', dec(3, -3, DSI)], ['9', dec(9, 0, DSI)],
    ['8k', dec(8, 3, DSI)], ['50k', dec(5, 4, DSI)], ['7M', dec(7, 6, DSI)], ['6G', dec(6, 9, DSI)],
    ['5T', dec(5, 12, DSI)], ['40T', dec(4, 13, DSI)], ['300T', dec(3, 14, DSI)], ['2P', dec(2, 15, DSI)],
    ['1E', dec(1, 18, DSI)],
    // Decimal exponents
    ['1E-3', dec(1, -3, DE)], ['1e3', dec(1, 3, DE)], ['1E6', dec(1, 6, DE)], ['1e9', dec(1, 9, DE)],
    ['1E12', dec(1, 12, DE)], ['1e15', dec(1, 15, DE)], ['1E18', dec(1, 18, DE)],
    // Nonstandard but still parsable
    ['1e14', dec(1, 14, DE)], ['1e13', dec(1, 13, DE)], ['1e3', dec(1, 3, DE)], ['100.035k', dec(100035, 0, DSI)],
    // Things that look like floating point
    ['0.001', dec(1, -3, DSI)], ['0.0005k', dec(5, -1, DSI)], ['0.005', dec(5, -3, DSI)], ['0.05', dec(5, -2, DSI)],
    ['0.5', dec(5, -1, DSI)], ['0.00050k', dec(5, -1, DSI)], ['0.00500', dec(5, -3, DSI)], ['0.05000', dec(5, -2, DSI)],
    ['0.50000', dec(5, -1, DSI)], ['0.5e0', dec(5, -1, DE)], ['0.5e-1', dec(5, -2, DE)], ['0.5e-2', dec(5, -3, DE)],
    ['10.035M', dec(10035, 3, DSI)],
    ['1.2e3', dec(12, 2, DE)], ['1.3E+6', dec(13, 5, DE)], ['1.40e9', dec(14, 8, DE)], ['1.53E12', dec(153, 10, DE)],
    ['1.6e15', dec(16, 14, DE)], ['1.7E18', dec(17, 17, DE)],
    ['9.01', dec(901, -2, DSI)], ['8.1k', dec(81, 2, DSI)], ['7.123456M', dec(7123456, 0, DSI)],
    ['6.987654321G', dec(6987654321, 0, DSI)], ['5.444T', dec(5444, 9, DSI)], ['40.1T', dec(401, 11, DSI)],
    ['300.2T', dec(3002, 11, DSI)], ['2.5P', dec(25, 14, DSI)], ['1.01E', dec(101, 16, DSI)],
    // Things that saturate/round
    ['3.001n', dec(4, -9, DSI)], ['1.1E-9', dec(2, -9, DE)], ['0.0000000001', dec(1, -9, DSI)],
    ['0.0000000005', dec(1, -9, DSI)], ['0.00000000050', dec(1, -9, DSI)], ['0.5e-9', dec(1, -9, DE)],
    ['0.9n', dec(1, -9, DSI)], ['0.00000012345', dec(124, -9, DSI)], ['0.00000012354', dec(124, -9, DSI)],
    ['9Ei', dec(MAX_INT64, 0, BSI)], ['9223372036854775807Ki', dec(MAX_INT64, 0, BSI)], ['12E', dec(12, 18, DSI)],
    // We'll accept fractional binary stuff, too.
    ['100.035Ki', dec(10243584, -2, BSI)], ['0.5Mi', dec(524288, 0, BSI)], ['0.05Gi', dec(536870912, -1, BSI)],
    ['0.025Ti', dec(274877906944, -1, BSI)],
    // Things written by trolls
    ['0.000000000001Ki', dec(2, -9, DSI)], ['.001', dec(1, -3, DSI)], ['.0001k', dec(100, -3, DSI)],
    ['1.', dec(1, 0, DSI)], ['1.G', dec(1, 9, DSI)],
  ];
  it.each(table)('%s', (input, want) => {
    const got = parseQuantity(input);
    expect(got.cmp(want)).toBe(0);
    expect(got.format).toBe(want.format);
  });
  it.each(table)('-%s is the negation', (input, want) => {
    const got = parseQuantity(`-${input}`);
    expect(got.cmp(want.neg())).toBe(0);
    expect(got.format).toBe(want.format);
  });
  it.each(table)('+%s is the same', (input, want) => {
    const got = parseQuantity(`+${input}`);
    expect(got.cmp(want)).toBe(0);
    expect(got.format).toBe(want.format);
  });

  const invalid: Array<[string, string]> = [
    ['', QUANTITY_FORMAT_ERROR], ['1.1.M', QUANTITY_FORMAT_ERROR], ['1+1.0M', QUANTITY_FORMAT_ERROR],
    ['0.1mi', QUANTITY_SUFFIX_ERROR], ['0.1am', QUANTITY_FORMAT_ERROR], ['aoeu', QUANTITY_FORMAT_ERROR],
    ['.5i', QUANTITY_SUFFIX_ERROR], ['1i', QUANTITY_SUFFIX_ERROR], ['-3.01i', QUANTITY_SUFFIX_ERROR],
    ['-3.01e-', QUANTITY_SUFFIX_ERROR],
    // an exponent outside the int32 scale is rejected rather than truncated
    ['1e4294967297', QUANTITY_SUFFIX_ERROR], ['1E2147483648', QUANTITY_SUFFIX_ERROR], ['1e-2147483648', QUANTITY_SUFFIX_ERROR],
    // trailing whitespace is forbidden
    [' 1', QUANTITY_FORMAT_ERROR], ['1 ', QUANTITY_FORMAT_ERROR],
    ['Non-Numeric', QUANTITY_FORMAT_ERROR], ['1Mb', QUANTITY_FORMAT_ERROR], ['1MB', QUANTITY_FORMAT_ERROR], ['1mi', QUANTITY_SUFFIX_ERROR],
    ['1 Gi', QUANTITY_FORMAT_ERROR], ['1e', QUANTITY_SUFFIX_ERROR], ['1ee5', QUANTITY_SUFFIX_ERROR], ['NaN', QUANTITY_FORMAT_ERROR],
  ];
  it.each(invalid)('rejects %j', (input, message) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(quantityError(input)).toBe(message);
  });
  it('uses the exact upstream texts', () => {
    expect(QUANTITY_FORMAT_ERROR).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(QUANTITY_SUFFIX_ERROR).toBe("unable to parse quantity's suffix");
  });
});

// Upstream: TestParseQuantityString's odd shapes, and what ParseQuantity makes of them.
describe('number parts without digits', () => {
  it.each(['.', '-.', '+', '-', '+.'])('%j is zero', (input) => {
    const q = parseQuantity(input);
    expect(q.isZero()).toBe(true);
    expect(q.toString()).toBe('0');
  });
  it('fails only where upstream leaves its int64 fast path', () => {
    expect(parseQuantity('Ki').isZero()).toBe(true);
    expect(quantityError('Pi')).toBe(QUANTITY_NUMERIC_ERROR);
    expect(quantityError('.e-10')).toBe(QUANTITY_NUMERIC_ERROR);
    expect(parseQuantity('.e-9').isZero()).toBe(true);
  });
});

// Upstream: TestQuantityString (value, canonical form, a non-canonical spelling of it).
describe('toString (TestQuantityString)', () => {
  const Ki = 1024n;
  const table: Array<[Quantity, string, string]> = [
    [dec(Ki ** 3n, 0, BSI), '1Gi', '1024Mi'],
    [dec(300n * Ki ** 2n, 0, BSI), '300Mi', '307200Ki'],
    [dec(6n * Ki, 0, BSI), '6Ki', ''],
    [dec(1001n * Ki ** 3n, 0, BSI), '1001Gi', '1025024Mi'],
    [dec(Ki ** 4n, 0, BSI), '1Ti', '1024Gi'],
    [dec(5, 0, BSI), '5', '5000m'],
    [dec(500, -3, BSI), '500m', '0.5'],
    [dec(1, 9, DSI), '1G', '1000M'],
    [dec(1000, 6, DSI), '1G', '0.001T'],
    [dec(1000000, 3, DSI), '1G', ''],
    [dec(1000000000, 0, DSI), '1G', ''],
    [dec(1, -3, DSI), '1m', '1000u'],
    [dec(80, -3, DSI), '80m', ''],
    [dec(1080, -3, DSI), '1080m', '1.08'],
    [dec(108, -2, DSI), '1080m', '1080000000n'],
    [dec(10800, -4, DSI), '1080m', ''],
    [dec(300, 6, DSI), '300M', ''],
    [dec(1, 12, DSI), '1T', ''],
    // DecimalSI has no suffix beyond "E": exponent notation keeps the magnitude.
    [dec(1, 18, DSI), '1E', ''],
    [dec(1, 21, DSI), '1e21', '1000E'],
    [dec(5, 21, DSI), '5e21', '5000E'],
    [dec(1, 24, DSI), '1e24', '1000000E'],
    // BinarySI has no suffix beyond "Ei": exact exponent notation instead.
    [dec(1, 70, BSI), '10e69', ''],
    [dec(2, 70, BSI), '20e69', ''],
    [dec(1, 72, BSI), '1e72', ''],
    [dec(1234567, 6, DSI), '1234567M', ''],
    [dec(1234567, -3, BSI), '1234567m', ''],
    [dec(3, 3, DSI), '3k', ''],
    [dec(1025, 0, BSI), '1025', ''],
    [dec(0, 0, DSI), '0', ''],
    [dec(0, 0, BSI), '0', ''],
    [dec(1, 9, DE), '1e9', '.001e12'],
    [dec(1, -3, DE), '1e-3', '0.001e0'],
    [dec(1, -9, DE), '1e-9', '1000e-12'],
    [dec(80, -3, DE), '80e-3', ''],
    [dec(300, 6, DE), '300e6', ''],
    [dec(1, 12, DE), '1e12', ''],
    [dec(1, 3, DE), '1e3', ''],
    [dec(3, 3, DE), '3e3', ''],
    [dec(3, 3, DSI), '3k', ''],
    [dec(0, 0, DE), '0', '00'],
    [dec(1, -9, DSI), '1n', ''],
    [dec(80, -9, DSI), '80n', ''],
    [dec(1080, -9, DSI), '1080n', ''],
    [dec(108, -8, DSI), '1080n', ''],
    [dec(10800, -10, DSI), '1080n', ''],
    [dec(1, -6, DSI), '1u', ''],
    [dec(80, -6, DSI), '80u', ''],
    [dec(1080, -6, DSI), '1080u', ''],
  ];
  it.each(table)('%s prints as %s', (q, want) => expect(q.toString()).toBe(want));
  it.each(table)('%s parses and prints back unchanged', (_q, want) => expect(parseQuantity(want).toString()).toBe(want));
  it.each(table.filter(([, , alt]) => alt !== ''))('alternate of %s: %s canonicalizes', (_q, want, alternate) => {
    expect(parseQuantity(alternate).toString()).toBe(want);
  });
  it.each(table.filter(([q]) => !q.isZero()))('negated %s', (q, want) => expect(q.neg().toString()).toBe(`-${want}`));
});

// Upstream: TestBinarySIZeroExponentString.
describe('BinarySI below Ki (TestBinarySIZeroExponentString)', () => {
  it.each([[2000, '2000'], [-2000, '-2000']])('%d', (n, want) => expect(dec(n, 0, BSI).toString()).toBe(want));
});

// Upstream: TestQuantityParseEmit.
describe('parse then print (TestQuantityParseEmit)', () => {
  const table: Array<[string, string]> = [
    ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'], ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
  ];
  it.each(table)('%s -> %s', (input, want) => expect(parseQuantity(input).toString()).toBe(want));
  it.each(table)('-%s -> -%s', (input, want) => expect(parseQuantity(`-${input}`).toString()).toBe(`-${want}`));
  // The examples kite's users write most.
  it.each([
    ['1000m', '1'], ['1.5', '1500m'], ['0.5Gi', '512Mi'], ['1024Mi', '1Gi'], ['1e3', '1e3'], ['1.5Gi', '1536Mi'],
    ['100m', '100m'], ['12e6', '12e6'], ['1001m', '1001m'], ['2000m', '2'], ['250m', '250m'], ['0.25', '250m'],
    ['128Mi', '128Mi'], ['1.0', '1'], ['1536Ki', '1536Ki'], ['2048Ki', '2Mi'], ['1k', '1k'], ['1000', '1k'],
  ])('%s -> %s', (input, want) => expect(parseQuantity(input).toString()).toBe(want));
});

// Upstream keeps the parsed text as String() when its int64 fast path accepts it as is.
describe('parsed text kept as String()', () => {
  it.each(['+1', '01', '010m', '1E3', '1e+3', '+1Ki', '1e0'])('%s', (input) => expect(parseQuantity(input).toString()).toBe(input));
  it.each([['1.0', '1'], ['1000m', '1'], ['8Ki', '8Ki'], ['+8Ki', '8Ki'], ['0.10', '100m']])('not %s', (input, want) => {
    expect(parseQuantity(input).toString()).toBe(want);
  });
  it('is dropped by arithmetic', () => expect(parseQuantity('+1').add(parseQuantity('0')).toString()).toBe('1'));
});

// Upstream: TestParseQuantity (values around int64 and 10^18; canonical forms).
describe('large values (TestParseQuantity)', () => {
  const rows: Array<[string, string?]> = [
    ['-999999999999999999'], ['999999999999999999'],
    ['-999999999999999999.0', '-999999999999999999'], ['999999999999999999.0', '999999999999999999'],
    ['-999999999999999999.1', '-999999999999999999100m'], ['999999999999999999.1', '999999999999999999100m'],
    ['-9999999999999999999'], ['9999999999999999999'], ['-1E'], ['1E'],
    ['-1000000000000000000', '-1E'], ['1000000000000000000', '1E'],
    ['-9999999999999999999.0', '-9999999999999999999'], ['9999999999999999999.0', '9999999999999999999'],
    ['-1.0E', '-1E'], ['1.0E', '1E'], ['-1000000000000000000.0', '-1E'], ['1000000000000000000.0', '1E'],
    ['-9999999999999999999000m', '-9999999999999999999'], ['9999999999999999999000m', '9999999999999999999'],
    ['-9999999999999999999.1', '-9999999999999999999100m'], ['9999999999999999999.1', '9999999999999999999100m'],
    ['-1.0000000000000000001E', '-1000000000000000000100m'], ['1.0000000000000000001E', '1000000000000000000100m'],
    ['-1000000000000000000.1', '-1000000000000000000100m'], ['1000000000000000000.1', '1000000000000000000100m'],
    ['-1.000000000000000001E', '-1000000000000000001'], ['1.000000000000000001E', '1000000000000000001'],
    ['-1000000000000000001'], ['1000000000000000001'],
    ['-10E'], ['10E'], ['-10000000000000000000', '-10E'], ['10000000000000000000', '10E'],
    ['-10.0E', '-10E'], ['10.0E', '10E'], ['-10000000000000000000.0', '-10E'], ['10000000000000000000.0', '10E'],
    ['-10000000000000000000000m', '-10E'], ['10000000000000000000000m', '10E'],
    ['-10.0000000000000000001E', '-10000000000000000000100m'], ['10.0000000000000000001E', '10000000000000000000100m'],
    ['-10000000000000000000.1', '-10000000000000000000100m'], ['10000000000000000000.1', '10000000000000000000100m'],
    ['-10.000000000000000001E', '-10000000000000000001'], ['10.000000000000000001E', '10000000000000000001'],
    ['-10000000000000000001'], ['10000000000000000001'],
    ['-9223372036854775809'], ['9223372036854775806'],
    ['-9223372036854775809.0', '-9223372036854775809'], ['9223372036854775806.0', '9223372036854775806'],
    ['-9223372036854775809000m', '-9223372036854775809'], ['9223372036854775806000m', '9223372036854775806'],
    ['-9223372036854775809.1', '-9223372036854775809100m'], ['9223372036854775806.1', '9223372036854775806100m'],
    ['-9223372036854775808'], ['9223372036854775807'],
    ['-9223372036854775808.0', '-9223372036854775808'], ['9223372036854775807.0', '9223372036854775807'],
    ['-9223372036854775808000m', '-9223372036854775808'], ['9223372036854775807000m', '9223372036854775807'],
    ['-9223372036854775808.1', '-9223372036854775808100m'], ['9223372036854775807.1', '9223372036854775807100m'],
    ['-9223372036854775807'], ['9223372036854775808'],
    ['-9223372036854775807.0', '-9223372036854775807'], ['9223372036854775808.0', '9223372036854775808'],
    ['-9223372036854775807000m', '-9223372036854775807'], ['9223372036854775808000m', '9223372036854775808'],
    ['-9223372036854775807.1', '-9223372036854775807100m'], ['9223372036854775808.1', '9223372036854775808100m'],
  ];
  it.each(rows)('%s', (input, canonical) => expect(parseQuantity(input).toString()).toBe(canonical ?? input));
  it('holds values past int64 exactly', () => {
    expect(parseQuantity('9223372036854775808').value()).toBe(9223372036854775808n);
    expect(parseQuantity('-9223372036854775809').value()).toBe(-9223372036854775809n);
  });
});

// Upstream: TestQuantityCmp and TestQuantityCmpInt64AndDec (rows whose scale parsing can express).
describe('cmp (TestQuantityCmp, TestQuantityCmpInt64AndDec)', () => {
  it.each([['0', '0', 0], ['100m', '50m', 1], ['50m', '100m', -1], ['10000T', '100Gi', 1]] as const)('%s vs %s', (x, y, want) => {
    expect(parseQuantity(x).cmp(parseQuantity(y))).toBe(want);
  });
  const mostPositive = 9223372036854775807n;
  const mostNegative = -9223372036854775808n;
  const rows: Array<[Quantity, Quantity, -1 | 0 | 1]> = [
    [dec(901, -2, DSI), dec(901, -2, DSI), 0],
    [dec(90, -1, DSI), dec(901, -2, DSI), -1],
    [dec(901, -2, DSI), dec(900, -2, DSI), 1],
    [dec(0, 0, DSI), dec(0, 0, DSI), 0],
    [dec(0, 1, DSI), dec(0, -1, DSI), 0],
    [dec(0, -1, DSI), dec(0, 1, DSI), 0],
    [dec(800, -3, DSI), dec(1, 0, DSI), -1],
    [dec(800, -3, DSI), dec(79, -2, DSI), 1],
    [dec(mostPositive, 0, DSI), dec(1, -1, DSI), 1],
    [dec(mostPositive, 1, DSI), dec(1, 0, DSI), 1],
    [dec(mostPositive, 1, DSI), dec(1, 1, DSI), 1],
    [dec(mostPositive, 1, DSI), dec(0, 1, DSI), 1],
    [dec(mostNegative, 0, DSI), dec(0, 0, DSI), -1],
    [dec(10n ** 18n, -9, DSI), dec(10n ** 9n, 0, DSI), 0],
    [dec(10n ** 18n + 1n, -9, DSI), dec(10n ** 9n, 0, DSI), 1],
    [dec(10n ** 18n - 1n, -9, DSI), dec(10n ** 9n, 0, DSI), -1],
  ];
  it.each(rows)('%s vs %s', (x, y, want) => {
    expect(x.cmp(y)).toBe(want);
    expect(y.cmp(x)).toBe(-want === 0 ? 0 : -want);
  });
  it('compares far-apart magnitudes without expanding them', () => {
    expect(parseQuantity('1e2147483647').cmp(parseQuantity('1'))).toBe(1);
    expect(parseQuantity('-1e2147483647').cmp(parseQuantity('1n'))).toBe(-1);
    expect(parseQuantity('1e-2147483647').toString()).toBe('1e-9');
  });
});

// Upstream: TestQuantityRoundUp.
describe('roundUp (TestQuantityRoundUp)', () => {
  const table: Array<[string, number, Quantity, boolean]> = [
    ['9.01', -3, dec(901, -2, DSI), true], ['9.01', -2, dec(901, -2, DSI), true], ['9.01', -1, dec(91, -1, DSI), false],
    ['9.01', 0, dec(10, 0, DSI), false], ['9.01', 1, dec(10, 0, DSI), false], ['9.01', 2, dec(100, 0, DSI), false],
    ['-9.01', -3, dec(-901, -2, DSI), true], ['-9.01', -2, dec(-901, -2, DSI), true], ['-9.01', -1, dec(-91, -1, DSI), false],
    ['-9.01', 0, dec(-10, 0, DSI), false], ['-9.01', 1, dec(-10, 0, DSI), false], ['-9.01', 2, dec(-100, 0, DSI), false],
  ];
  it.each(table)('%s at scale %d', (input, scale, want, exact) => {
    const r = parseQuantity(input).roundUp(scale);
    expect(r.exact).toBe(exact);
    expect(r.quantity.cmp(want)).toBe(0);
  });
  it('keeps a kept text only at or above its own scale', () => {
    expect(parseQuantity('+100m').roundUp(-3).quantity.toString()).toBe('+100m');
    expect(parseQuantity('+100m').roundUp(-1).quantity.toString()).toBe('100m');
  });
});

// Upstream: TestQuantityNeg, TestNeg.
describe('neg (TestQuantityNeg, TestNeg)', () => {
  it('negates without touching the source', () => {
    const q = dec(901, -2, DSI);
    expect(q.neg().toString()).toBe('-9010m');
    expect(q.toString()).toBe('9010m');
  });
  it.each([[dec(0, 0, DSI), '0'], [dec(10, 0, BSI), '-10'], [dec(-10, 0, BSI), '10']] as const)('%s', (q, want) => {
    expect(q.neg().toString()).toBe(want);
    expect(q.neg().format).toBe(q.format);
  });
});

// Upstream: TestNegativeValueRoundsAwayFromZero.
describe('value and milliValue (TestNegativeValueRoundsAwayFromZero)', () => {
  const table: Array<[string, bigint, bigint]> = [
    ['-.484785E-7466', -1n, -1n], ['.484785E-7466', 1n, 1n],
    ['-.484785E-1', -1n, -49n], ['.484785E-1', 1n, 49n], ['-0.0005', -1n, -1n], ['0.0005', 1n, 1n],
    ['-1500m', -2n, -1500n], ['1500m', 2n, 1500n],
    ['-9.5000000001Gi', -10200547329n, -10200547328108n], ['9.5000000001Gi', 10200547329n, 10200547328108n],
    ['-1', -1n, -1000n], ['1', 1n, 1000n], ['0', 0n, 0n],
  ];
  it.each(table)('%s', (input, value, milli) => {
    const q = parseQuantity(input);
    expect(q.value()).toBe(value);
    expect(q.milliValue()).toBe(milli);
  });
});

// Upstream: TestScaledValue, TestNewScaledSet, TestNewSet, TestMilliNewSet.
describe('scales and formats (TestScaledValue, TestNewScaledSet, TestNewSet, TestMilliNewSet)', () => {
  it.each([
    [-9, -9, 1n], [-9, -6, 1n], [-9, -3, 1n], [-9, 0, 1n], [-6, -9, 1000n], [-6, -6, 1n], [-6, -3, 1n], [-6, 0, 1n],
    [-3, -9, 1000000n], [-3, -6, 1000n], [-3, -3, 1n], [-3, 0, 1n], [0, -9, 1000000000n], [0, -6, 1000000n],
    [0, -3, 1000n], [0, 0, 1n], [2, -2, 10000n],
  ] as const)('1e%d scaled to %d', (from, to, want) => expect(dec(1, from, DSI).scaledValue(to)).toBe(want));

  it.each([
    [1, -9, '1n'], [1000, -9, '1u'], [1, -6, '1u'], [1000, -6, '1m'], [1, -3, '1m'], [1000, -3, '1'], [1, 0, '1'],
    [0, -9, '0'], [0, -6, '0'], [0, -3, '0'], [0, 0, '0'],
  ] as const)('%d at scale %d prints %s', (v, scale, want) => {
    const q = dec(v, scale, DSI);
    expect(q.toString()).toBe(want);
    expect(parseQuantity(want).scaledValue(scale)).toBe(BigInt(v));
  });

  it.each([
    [1n, DSI, '1'], [1000n, DSI, '1k'], [1234000n, DSI, '1234k'], [1024n, BSI, '1Ki'], [1000000n, DE, '1e6'], [1048576n, BSI, '1Mi'],
  ] as const)('%d as %s prints %s', (v, format, want) => {
    expect(dec(v, 0, format).toString()).toBe(want);
    expect(parseQuantity(want).value()).toBe(v);
  });

  it.each([
    [1n, DSI, '1m'], [1000n, DSI, '1'], [1234000n, DSI, '1234'], [1024n, BSI, '1024m'], [1000000n, DE, '1e3'], [1048576n, BSI, '1048576m'],
  ] as const)('%d milli as %s prints %s', (v, format, want) => {
    expect(dec(v, -3, format).toString()).toBe(want);
    if (format !== BSI) expect(parseQuantity(want).milliValue()).toBe(v);
  });
});

// Upstream: TestAdd, TestSub, TestQuantityAddZeroPreservesSuffix, TestQuantitySubZeroPreservesSuffix.
describe('add and sub (TestAdd, TestSub)', () => {
  const zero = parseQuantity('0');
  it.each([
    [dec(10, 0, DSI), dec(1, 1, DSI), dec(20, 0, DSI)],
    [dec(10, 0, DSI), dec(1, 0, BSI), dec(11, 0, DSI)],
    [dec(10, 0, BSI), dec(1, 0, DSI), dec(11, 0, BSI)],
    [zero, dec(50, 0, DSI), dec(50, 0, DSI)],
    [dec(50, 0, DSI), zero, dec(50, 0, DSI)],
    [zero, zero, dec(0, 0, DSI)],
  ])('%s + %s', (x, y, want) => {
    const sum = x.add(y);
    expect(sum.cmp(want)).toBe(0);
    expect(sum.format).toBe(want.format);
  });
  it.each([
    [dec(10, 0, DSI), dec(1, 1, DSI), dec(0, 0, DSI)],
    [dec(10, 0, DSI), dec(1, 0, BSI), dec(9, 0, DSI)],
    [dec(10, 0, BSI), dec(1, 0, DSI), dec(9, 0, BSI)],
    [zero, dec(50, 0, DSI), dec(-50, 0, DSI)],
    [dec(50, 0, DSI), zero, dec(50, 0, DSI)],
    [zero, zero, dec(0, 0, DSI)],
  ])('%s - %s', (x, y, want) => {
    const diff = x.sub(y);
    expect(diff.cmp(want)).toBe(0);
    expect(diff.format).toBe(want.format);
  });
  it.each(['100m', '1Gi'])('keeps the suffix of %s when adding or subtracting zero', (s) => {
    const v = parseQuantity(s);
    expect(v.add(zero).toString()).toBe(s);
    expect(zero.add(v).toString()).toBe(s);
    expect(v.sub(zero).toString()).toBe(s);
    expect(zero.sub(v).toString()).toBe(`-${s}`);
  });
  it('has no floating point drift', () => {
    expect(parseQuantity(0.1).add(parseQuantity(0.2)).toString()).toBe('300m');
    expect(parseQuantity('0.1').add(parseQuantity('0.2')).cmp(parseQuantity('0.3'))).toBe(0);
  });
  it('cancels exactly over many additions (TestAddSubRoundTrip)', () => {
    let q = parseQuantity('0');
    const parts = Array.from({ length: 100 }, (_, i) => dec(BigInt(i) * 7919n + 12345678901234567n, (i % 21) - 9, DSI));
    for (const p of parts) q = q.add(p);
    for (const p of parts) q = q.sub(p);
    expect(q.isZero()).toBe(true);
  });
});

describe('sign and isZero', () => {
  it.each([['0', 0], ['0Ki', 0], ['1n', 1], ['-1n', -1], ['5Gi', 1], ['-0.1', -1]] as const)('%s', (s, sign) => {
    expect(parseQuantity(s).sign()).toBe(sign);
    expect(parseQuantity(s).isZero()).toBe(sign === 0);
  });
});

describe('numbers from YAML', () => {
  it.each([[1, '1'], [0.5, '500m'], [2, '2'], [0.1, '100m'], [1.5, '1500m'], [1e21, '1e+21'], [1e-7, '100e-9'], [-0, '0']] as const)(
    '%d reads as its decimal text', (n, want) => expect(parseQuantity(n).toString()).toBe(want));
  it('rejects non-finite numbers', () => expect(quantityError(Number.POSITIVE_INFINITY)).toBe(QUANTITY_FORMAT_ERROR));
});

// Upstream: TestJSONWhitespace (Quantity.UnmarshalJSON trims).
describe('unmarshalQuantity (TestJSONWhitespace)', () => {
  it.each([[' 1', '1'], ['1 ', '1'], ['1', '1'], ['10', '10'], ['-1', '-1'], [' -1', '-1'], ['\t2Gi\n', '2Gi']])('%j', (input, want) => {
    expect(unmarshalQuantity(input).toString()).toBe(want);
  });
  it('still rejects inner spaces', () => expect(() => unmarshalQuantity('1 Gi')).toThrow(QUANTITY_FORMAT_ERROR));
});
