import { describe, expect, it } from 'vitest';
import { goQuote, isQualifiedName, isValidLabelValue, validateAnnotations, validateLabels } from '../../lib/api/labels.ts';
import { fieldErrorBody } from '../../lib/api/field-error.ts';

const a = (n: number, c = 'a') => c.repeat(n);

const NAME_PART_ERR = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// Upstream: apimachinery pkg/util/validation validation_test.go TestIsQualifiedName.
describe('isQualifiedName (TestIsQualifiedName)', () => {
  const good = [
    'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
    '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo',
    a(63), `${a(253)}/${a(63, 'b')}`,
  ];
  const bad = [
    'nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc',
    'example_com/abc', 'example.com/', '/simple', a(64), `${a(254)}/abc`,
  ];
  it.each(good)('accepts %j', (v) => expect(isQualifiedName(v)).toEqual([]));
  it.each(bad)('rejects %j', (v) => expect(isQualifiedName(v).length).toBeGreaterThan(0));

  it('words each failure as upstream', () => {
    expect(isQualifiedName('cantendwithadash-')).toEqual([NAME_PART_ERR]);
    expect(isQualifiedName('only/one/slash')).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    expect(isQualifiedName('example.com/')).toEqual(['name part must be non-empty', NAME_PART_ERR]);
    expect(isQualifiedName('/simple')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName(a(64))).toEqual(['name part must be no more than 63 characters']);
    expect(isQualifiedName('Example.com/abc')).toEqual([
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isQualifiedName(`${a(254)}/abc`)).toEqual(['prefix part must be no more than 253 characters']);
  });
  it('reports an empty key as an empty name part', () => {
    expect(isQualifiedName('')).toEqual(['name part must be non-empty', NAME_PART_ERR]);
  });
});

// Upstream: validation_test.go TestIsValidLabelValue.
describe('isValidLabelValue (TestIsValidLabelValue)', () => {
  const good = ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', a(63), ''];
  const bad = [
    'nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash',
    'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', a(64),
  ];
  it.each(good)('accepts %j', (v) => expect(isValidLabelValue(v)).toEqual([]));
  it.each(bad)('rejects %j', (v) => expect(isValidLabelValue(v).length).toBeGreaterThan(0));
  it('words failures as upstream', () => {
    expect(isValidLabelValue('-x')).toEqual([LABEL_VALUE_ERR]);
    expect(isValidLabelValue(a(64))).toEqual(['must be no more than 63 characters']);
  });
});

// Upstream: apimachinery pkg/apis/meta/v1/validation validation_test.go TestValidateLabels.
describe('validateLabels (TestValidateLabels)', () => {
  const good: Array<Record<string, string>> = [
    { simple: 'bar' }, { 'now-with-dashes': 'bar' }, { '1-starts-with-num': 'bar' }, { 1234: 'bar' },
    { 'simple/simple': 'bar' }, { 'now-with-dashes/simple': 'bar' }, { 'now-with-dashes/now-with-dashes': 'bar' },
    { 'now.with.dots/simple': 'bar' }, { 'now-with.dashes-and.dots/simple': 'bar' }, { '1-num.2-num/3-num': 'bar' },
    { '1234/5678': 'bar' }, { '1.2.3.4/5678': 'bar' }, { UpperCaseAreOK123: 'bar' }, { goodvalue: '123_-.BaR' },
  ];
  it.each(good)('accepts %j', (labels) => expect(validateLabels(labels, 'field')).toEqual([]));

  const badKeys: Array<[Record<string, string>, string]> = [
    [{ 'nospecialchars^=@': 'bar' }, 'name part must consist of'],
    [{ 'cantendwithadash-': 'bar' }, 'name part must consist of'],
    [{ 'only/one/slash': 'bar' }, 'a qualified name must consist of'],
    [{ [a(254)]: 'bar' }, 'must be no more than'],
  ];
  it.each(badKeys)('rejects key of %j', (labels, expectText) => {
    const diags = validateLabels(labels, 'field');
    expect(diags).toHaveLength(1);
    expect(diags[0]!.path).toBe('field');
    expect(fieldErrorBody(diags[0]!)).toContain(expectText);
    expect(fieldErrorBody(diags[0]!)).toContain(`Invalid value: "${Object.keys(labels)[0]}"`);
  });

  const badValues: Array<[Record<string, string>, string]> = [
    [{ toolongvalue: a(64) }, 'must be no more than'],
    [{ backslashesinvalue: 'some\\bad\\value' }, 'a valid label must be an empty string or consist of'],
    [{ nocommasallowed: 'bad,value' }, 'a valid label must be an empty string or consist of'],
    [{ strangecharsinvalue: '?#$notsogood' }, 'a valid label must be an empty string or consist of'],
  ];
  it.each(badValues)('rejects value of %j', (labels, expectText) => {
    const diags = validateLabels(labels, 'metadata.labels');
    expect(diags).toHaveLength(1);
    expect(diags[0]!.path).toBe(`metadata.labels[${Object.keys(labels)[0]}]`);
    expect(fieldErrorBody(diags[0]!)).toContain(expectText);
    expect(diags[0]!.severity).toBe('error');
  });

  it('renders the bad value with Go quoting', () => {
    const [d] = validateLabels({ app: 'some\\bad\\value' }, 'metadata.labels');
    expect(fieldErrorBody(d!)).toBe(`Invalid value: "some\\\\bad\\\\value": ${LABEL_VALUE_ERR}`);
  });
});

// Upstream: pkg/api/validation objectmeta_test.go TestValidateAnnotations (key cases) and
// the TotalAnnotationSizeLimitB boundary.
describe('validateAnnotations', () => {
  it.each([
    'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
    '1234/5678', '1.2.3.4/5678', 'UpperCase123', 'Example.COM/Upper',
  ])('accepts key %j (checked lower-cased)', (k) => expect(validateAnnotations({ [k]: 'bar' }, 'metadata.annotations')).toEqual([]));

  it.each(['nospecialchars^=@', 'cantendwithadash-', 'only/one/slash', a(254)])('rejects key %j', (k) => {
    const diags = validateAnnotations({ [k]: 'bar' }, 'metadata.annotations');
    expect(diags).toHaveLength(1);
    expect(fieldErrorBody(diags[0]!).startsWith(`Invalid value: "${k}": `)).toBe(true);
  });

  it('keeps the original spelling of the key in the message', () => {
    const [d] = validateAnnotations({ 'Bad_Key-': 'x' }, 'metadata.annotations');
    expect(fieldErrorBody(d!)).toBe(`Invalid value: "Bad_Key-": ${NAME_PART_ERR}`);
  });

  it('allows exactly 256 KiB of keys and values, not one byte more', () => {
    const limit = 256 * 1024;
    expect(validateAnnotations({ a: a(limit - 1) }, 'metadata.annotations')).toEqual([]);
    expect(validateAnnotations({ a: a(limit) }, 'metadata.annotations')).toEqual([
      { severity: 'error', code: 'too-long', path: 'metadata.annotations', message: 'must have at most 262144 bytes' },
    ]);
  });

  it('measures the size in UTF-8 bytes', () => {
    const half = 128 * 1024;
    expect(validateAnnotations({ a: 'é'.repeat(half) }, 'm')).toHaveLength(1);
    expect(validateAnnotations({ a: 'é'.repeat(half - 1) }, 'm')).toEqual([]);
  });
});

// Go's %q, which the API server uses for bad values.
describe('goQuote', () => {
  it.each([
    ['abc', '"abc"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['tab\there', '"tab\\there"'],
    ['nl\n', '"nl\\n"'],
    ['\x01', '"\\x01"'],
    ['\x7f', '"\\x7f"'],
    ['rā', '"rā"'],
    ['\u00a0', '"\\u00a0"'],
    ['😀', '"😀"'],
  ])('%j -> %s', (input, out) => expect(goQuote(input)).toBe(out));
});
