// lib/api/field-error.ts and go-value.ts: field.Error's wording and Go's printing of bad values,
// case for case against k8s.io/apimachinery/pkg/util/validation/field/errors_test.go (1.32) and
// the texts a 1.32 API server answers.
import { describe, expect, it } from 'vitest';
import { fieldError, type FieldErrorCode } from '../../lib/api/diagnostics.ts';
import { aggregateMessages, causeReason, fieldErrorBody, formatDiagnostic, formatFieldError } from '../../lib/api/field-error.ts';
import { formatGoValue, goLabelSelector, goLiteral, goStringMap, goStringSlice } from '../../lib/api/go-value.ts';

describe('formatGoValue (ErrorBody value printing)', () => {
  const table: Array<[string, unknown, string]> = [
    // TestErrorBody: ints bare, nil pointers as the string "null", quoted
    ['int', 2, '2'],
    ['nil', null, '"null"'],
    ['undefined is nil too', undefined, '"null"'],
    ['string', 'bar', '"bar"'],
    ['string with quotes and newline', 'a"b\nc', '"a\\"b\\nc"'],
    ['bool', true, 'true'],
    ['float64 %v', 1.5, '1.5'],
    ['float64 %v small', 0.00001, '1e-05'],
    ['float64 %v large', 1e21, '1e+21'],
    ['negative int', -5, '-5'],
    // %#v of maps: sorted keys, "k":"v" pairs joined by ", "
    ['map[string]string', goStringMap({ app: 'yy' }), 'map[string]string{"app":"yy"}'],
    ['map[string]string, two keys sorted', goStringMap({ name: 'm', app: 'k' }), 'map[string]string{"app":"k", "name":"m"}'],
    ['nil map', goStringMap(undefined), 'map[string]string(nil)'],
    ['empty map', goStringMap({}), 'map[string]string{}'],
    // %#v of slices
    ['[]string', goStringSlice(['a', 'b']), '[]string{"a", "b"}'],
    ['nil []string', goStringSlice(undefined), '[]string(nil)'],
    ['named element type', goStringSlice(['IPv6'], 'core.IPFamily'), '[]core.IPFamily{"IPv6"}'],
    ['untyped string array reads as []string', ['x'], '[]string{"x"}'],
    ['untyped string map reads as map[string]string', { b: '2', a: '1' }, 'map[string]string{"a":"1", "b":"2"}'],
    ['decoded JSON object', { a: 1, b: [true] }, 'map[string]interface {}{"a":1, "b":[]interface {}{true}}'],
    // a type with String(): metav1.LabelSelector's generated one
    ['empty *LabelSelector', goLabelSelector({}), '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}'],
    [
      '*LabelSelector with labels and an expression',
      goLabelSelector({ matchLabels: { tier: 'web', app: 'x' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] }),
      '&LabelSelector{MatchLabels:map[string]string{app: x,tier: web,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:env,Operator:In,Values:[a b],},},}',
    ],
    ['a struct written as %#v', goLiteral('core.ServicePort{Port:80}'), 'core.ServicePort{Port:80}'],
  ];
  it.each(table)('%s', (_name, value, want) => expect(formatGoValue(value)).toBe(want));

  it('cuts a very long string value short, saying how long it was', () => {
    expect(formatGoValue('x'.repeat(300))).toBe(`"${'x'.repeat(256)}"...(truncated, 300 characters in all)`);
  });
});

describe('fieldErrorBody / formatFieldError (field.Error)', () => {
  const table: Array<[FieldErrorCode, unknown, string, string]> = [
    ['invalid', 2, 'details', 'Invalid value: 2: details'],
    ['invalid', null, 'details', 'Invalid value: "null": details'],
    ['invalid', 'v', 'd', 'Invalid value: "v": d'],
    ['invalid', 'v', '', 'Invalid value: "v"'],
    ['unsupported', 'v', 'supported values: "a", "b", "c"', 'Unsupported value: "v": supported values: "a", "b", "c"'],
    ['duplicate', 'v', '', 'Duplicate value: "v"'],
    ['not-found', 'v', '', 'Not found: "v"'],
    // These never print the value, whatever the error holds.
    ['required', 'ignored', '', 'Required value'],
    ['required', undefined, 'd', 'Required value: d'],
    ['forbidden', 'ignored', 'may not be set', 'Forbidden: may not be set'],
    ['too-long', 'x'.repeat(10), 'must have at most 5 bytes', 'Too long: must have at most 5 bytes'],
    ['internal', undefined, 'e', 'Internal error: e'],
    ['too-many', 4, 'must have at most 3 items', 'Too many: 4: must have at most 3 items'],
    ['too-many', undefined, 'has too many items', 'Too many: has too many items'],
    ['invalid-type', '80', 'must be of type integer', 'Invalid value: "80": must be of type integer'],
  ];
  it.each(table)('%s %j %j', (code, value, detail, want) => expect(fieldErrorBody(fieldError(code, 'f', value, detail))).toBe(want));

  it('prefixes the field path', () => {
    expect(formatFieldError(fieldError('invalid', 'spec.ports[0].port', 0, 'must be between 1 and 65535, inclusive'))).toBe(
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    );
    expect(formatFieldError(fieldError('invalid', 'spec.template.metadata.labels', goStringMap({ app: 'yy' }), '`selector` does not match template `labels`'))).toBe(
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"yy"}: `selector` does not match template `labels`',
    );
  });

  it('maps codes to the StatusCause reasons (field.ErrorType)', () => {
    expect(causeReason({ code: 'unsupported' })).toBe('FieldValueNotSupported');
    expect(causeReason({ code: 'invalid-type' })).toBe('FieldValueTypeInvalid');
    expect(causeReason({ code: 'internal' })).toBe('InternalError');
    expect(causeReason({ code: 'unknown-field' })).toBe('FieldValueInvalid');
  });

  it('leaves the text of kite\'s own diagnostics as it is', () => {
    expect(fieldErrorBody({ code: 'unknown-field', message: 'unknown field "spec.x"' })).toBe('unknown field "spec.x"');
  });
});

describe('aggregateMessages (ErrorList.ToAggregate().Error(), TestToAggregate)', () => {
  it('is empty for none, the message alone for one, bracketed for several, each once', () => {
    expect(aggregateMessages([])).toBe('');
    expect(aggregateMessages(['f: Invalid value: "v": d'])).toBe('f: Invalid value: "v": d');
    expect(aggregateMessages(['f: Invalid value: "v": d', 'f: Invalid value: "v": d'])).toBe('f: Invalid value: "v": d');
    expect(aggregateMessages(['a: Required value', 'b: Internal error: e'])).toBe('[a: Required value, b: Internal error: e]');
  });
});

describe('formatDiagnostic (the CLI line)', () => {
  it('keeps kite\'s file and object naming before the field error', () => {
    const d = { ...fieldError('invalid', 'spec.ports[0].port', 0, 'must be between 1 and 65535, inclusive'), file: 'svc.yaml', line: 3, col: 1, object: 'Service/web' };
    expect(formatDiagnostic(d)).toBe('svc.yaml:3:1: Service/web: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
    expect(formatDiagnostic({ severity: 'warning', code: 'deprecated', path: 'apiVersion', message: 'x is deprecated', construct: 'app/web' })).toBe(
      'apiVersion: warning: x is deprecated (construct app/web)',
    );
  });
});
