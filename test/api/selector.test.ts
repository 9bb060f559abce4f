import { describe, expect, it } from 'vitest';
import {
  everything, labelSelectorAsSelector, lex, matchesNothing, newRequirement, newSelector, nothing, parseSelector,
  selectorFromSet, SelectorError, validateLabelSelector, type LabelSelector, type Operator, type Requirement,
} from '../../lib/api/selector.ts';
import { fieldErrorBody } from '../../lib/api/field-error.ts';

const LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_ERR = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function req(key: string, operator: Operator, values: string[] = []): Requirement {
  return { key, operator, values };
}

function parseError(input: string): string {
  try {
    parseSelector(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorError);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(input)} parsed`);
}

// Upstream: apimachinery pkg/labels selector_test.go TestSelectorParse.
describe('parseSelector (TestSelectorParse)', () => {
  const good = ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'];
  it.each(good)('%j restrings without spaces', (s) => expect(parseSelector(s).toString()).toBe(s.replaceAll(' ', '')));
  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a'])('rejects %j', (s) => expect(() => parseSelector(s)).toThrow(SelectorError));
});

// Upstream: TestDeterministicParse.
it('parses deterministically (TestDeterministicParse)', () => {
  expect(parseSelector('x=a,a=x').toString()).toBe(parseSelector('a=x,x=a').toString());
  expect(parseSelector('x=a,a=x').toString()).toBe('a=x,x=a');
});

// Upstream: TestEverything, TestNilMapIsValid, TestSetIsEmpty.
describe('everything (TestEverything, TestSetIsEmpty)', () => {
  it('matches anything and is empty', () => {
    expect(everything().matches({ x: 'y' })).toBe(true);
    expect(everything().isEmpty()).toBe(true);
    expect(selectorFromSet({}).isEmpty()).toBe(true);
    expect(newSelector().isEmpty()).toBe(true);
  });
});

// Upstream: TestSelectorMatches.
describe('matches (TestSelectorMatches)', () => {
  const labelset = { foo: 'bar', baz: 'blah' };
  const match: Array<[string, Record<string, string>]> = [
    ['', { x: 'y' }], ['x=y', { x: 'y' }], ['x=y,z=w', { x: 'y', z: 'w' }], ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }], ['x', { x: 'z' }], ['!x', { y: 'z' }], ['x>1', { x: '2' }], ['x<1', { x: '0' }],
    ['foo=bar', labelset], ['baz=blah', labelset], ['foo=bar,baz=blah', labelset],
  ];
  const noMatch: Array<[string, Record<string, string>]> = [
    ['x=z', {}], ['x=y', { x: 'z' }], ['x=y,z=w', { x: 'w', z: 'w' }], ['x!=y,z!=w', { x: 'z', z: 'w' }],
    ['x', { y: 'z' }], ['!x', { x: 'z' }], ['x>1', { x: '0' }], ['x<1', { x: '2' }],
    ['foo=blah', labelset], ['baz=bar', labelset], ['foo=bar,foobar=bar,baz=blah', labelset],
  ];
  it.each(match)('%j matches %j', (s, ls) => expect(parseSelector(s).matches(ls)).toBe(true));
  it.each(noMatch)('%j does not match %j', (s, ls) => expect(parseSelector(s).matches(ls)).toBe(false));
  it('treats absent labels as an empty set', () => {
    expect(parseSelector('x notin (a),y!=b,!z').matches(undefined)).toBe(true);
    expect(parseSelector('x').matches(undefined)).toBe(false);
  });
  it('compares gt/lt as int64 and fails on anything else', () => {
    expect(newSelector(req('x', 'gt', ['-5'])).matches({ x: '-4' })).toBe(true);
    expect(parseSelector('x<10').matches({ x: '9' })).toBe(true);
    expect(parseSelector('x<10').matches({ x: '09' })).toBe(true);
    expect(parseSelector('x>1').matches({ x: 'v2' })).toBe(false);
    expect(parseSelector('x>1').matches({ x: '1.5' })).toBe(false);
    expect(parseSelector('x>1').matches({ x: '9223372036854775808' })).toBe(false);
    expect(parseSelector('x>1').matches({})).toBe(false);
  });
  it('ignores inherited properties of the label object', () => {
    expect(parseSelector('constructor').matches({})).toBe(false);
    expect(parseSelector('!toString').matches({})).toBe(true);
  });
});

// Upstream: TestSetMatches.
describe('selectorFromSet (TestSetMatches)', () => {
  const labelset = { foo: 'bar', baz: 'blah' };
  it.each<Record<string, string>>([{}, { foo: 'bar' }, { baz: 'blah' }, { foo: 'bar', baz: 'blah' }])('%j matches', (set) => {
    expect(selectorFromSet(set).matches(labelset)).toBe(true);
  });
  it('does not match a different value', () => expect(selectorFromSet({ foo: 'blah' }).matches(labelset)).toBe(false));
  it('prints sorted', () => expect(selectorFromSet({ z: '1', a: '2' }).toString()).toBe('a=2,z=1'));
});

const TOKENS: Array<[string, string]> = [
  ['', 'eos'], [',', ','], ['notin', 'notin'], ['in', 'in'], ['=', '='], ['==', '=='], ['>', '>'], ['<', '<'],
  // the lexer returns the longest valid token found
  ['!', '!'], ['!=', '!='], ['(', '('], [')', ')'],
  // non-"special" characters are part of an identifier
  ['~', 'id'], ['||', 'id'],
];

// Upstream: TestLexer.
describe('lex (TestLexer)', () => {
  it.each(TOKENS)('%j', (s, tok) => expect(lex(s)[0]).toEqual([tok, s]));
});

// Upstream: TestLexerSequence and TestParserLookahead.
describe('lex sequences (TestLexerSequence, TestParserLookahead)', () => {
  const I = 'id';
  const table: Array<[string, string[]]> = [
    ['key in ( value )', [I, 'in', '(', I, ')']],
    ['key notin ( value )', [I, 'notin', '(', I, ')']],
    ['key in ( value1, value2 )', [I, 'in', '(', I, ',', I, ')']],
    ['key', [I]],
    ['!key', ['!', I]],
    ['()', ['(', ')']],
    ['', []],
    ['x in (),y', [I, 'in', '(', ')', ',', I]],
    ['== != (), = notin', ['==', '!=', '(', ')', ',', '=', 'notin']],
    ['key>2', [I, '>', I]],
    ['key<1', [I, '<', I]],
  ];
  it.each(table)('%j', (s, tokens) => expect(lex(s).map(([t]) => t)).toEqual([...tokens, 'eos']));
  it('splits runs of symbols into the longest tokens', () => {
    expect(lex('a!==b').map(([t, l]) => `${t}:${l}`)).toEqual(['id:a', '!=:!=', '=:=', 'id:b', 'eos:']);
    expect(lex('x>=1').map(([t]) => t)).toEqual(['id', '>', '=', 'id', 'eos']);
  });
});

// Upstream: TestRequirementConstructor (error texts as NewRequirement's field errors print).
describe('newRequirement (TestRequirementConstructor)', () => {
  const ok: Array<[string, Operator, string[]]> = [
    ['x', 'in', ['foo']], ['x', 'notin', ['foo']], ['x', 'exists', []], ['x', '!', []], ['1foo', 'in', ['bar']],
    ['1234', 'in', ['bar']], ['y', 'gt', ['1']], ['z', 'lt', ['6']], ['x', '=', ['']],
  ];
  it.each(ok)('%s %s %j', (key, op, values) => expect(newRequirement(key, op, values)).toEqual(req(key, op, values)));

  const bad: Array<[string, Operator, string[] | undefined, string]> = [
    ['x1', 'in', [], "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    ['x2', 'notin', [], "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    ['x1', 'in', undefined, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    ['x5', '=', ['bar', 'foo'], 'values: Invalid value: []string{"bar", "foo"}: exact-match compatibility requires one single value'],
    ['x8', 'exists', ['foo'], 'values: Invalid value: []string{"foo"}: values set must be empty for exists and does not exist'],
    ['x13', 'gt', [], "values: Invalid value: []string{}: for 'Gt', 'Lt' operators, exactly one value is required"],
    ['x14', 'gt', ['bar'], `values[0]: Invalid value: "bar": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x15', 'lt', ['bar'], `values[0]: Invalid value: "bar": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a'.repeat(254), 'exists', [], `key: Invalid value: "${'a'.repeat(254)}": name part must be no more than 63 characters`],
    ['x16', '=', ['a'.repeat(254)], `values[0][x16]: Invalid value: "${'a'.repeat(254)}": must be no more than 63 characters`],
    ['x17', '=', ['a b'], `values[0][x17]: Invalid value: "a b": ${LABEL_VALUE_ERR}`],
    ['x18', 'unsupportedOp' as Operator, [], 'operator: Unsupported value: "unsupportedOp": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"'],
    ['x', 'gt', ['a b'], `[values[0]: Invalid value: "a b": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "a b": ${LABEL_VALUE_ERR}]`],
  ];
  it.each(bad)('%s %s %j', (key, op, values, message) => {
    expect(() => newRequirement(key, op, values)).toThrow(new SelectorError(message));
  });
});

// Upstream: TestToString.
describe('toString (TestToString)', () => {
  const table: Array<[Requirement[], string]> = [
    [[req('x', 'in', ['abc', 'def']), req('y', 'notin', ['jkl']), req('z', 'exists')], 'x in (abc,def),y notin (jkl),z'],
    [[req('x', 'notin', ['abc', 'def']), req('y', '!=', ['jkl']), req('z', '!')], 'x notin (abc,def),y!=jkl,!z'],
    [[req('x', 'notin', ['abc']), req('y', 'in', ['jkl', 'mno']), req('z', 'notin', [''])], 'x notin (abc),y in (jkl,mno),z notin ()'],
    [[req('x', '=', ['abc']), req('y', '==', ['jkl']), req('z', '!=', ['a']), req('z', 'exists')], 'x=abc,y==jkl,z!=a,z'],
    [[req('x', 'gt', ['2']), req('y', 'lt', ['8']), req('z', 'exists')], 'x>2,y<8,z'],
  ];
  it.each(table)('%j', (reqs, want) => expect(newSelector(...reqs).toString()).toBe(want));
  it('sorts values on output only', () => {
    const r = req('x', 'in', ['b', 'a']);
    expect(newSelector(r).toString()).toBe('x in (a,b)');
    expect(r.values).toEqual(['b', 'a']);
  });
});

// Upstream: TestRequirementSelectorMatching.
describe('requirement matching (TestRequirementSelectorMatching)', () => {
  const table: Array<[Record<string, string>, Requirement[], boolean]> = [
    [{ x: 'foo', y: 'baz' }, [{ key: '', operator: '' as Operator, values: [] }], false],
    [{ x: 'foo', y: 'baz' }, [req('x', 'in', ['foo']), req('y', 'notin', ['alpha'])], true],
    [{ x: 'foo', y: 'baz' }, [req('x', 'in', ['foo']), req('y', 'in', ['alpha'])], false],
    [{ y: '' }, [req('x', 'notin', ['']), req('y', 'exists')], true],
    [{ y: '' }, [req('x', '!'), req('y', 'exists')], true],
    [{ y: '' }, [req('x', 'notin', ['']), req('y', '!')], false],
    [{ y: 'baz' }, [req('x', 'in', [''])], false],
    [{ z: '2' }, [req('z', 'gt', ['1'])], true],
    [{ z: 'v2' }, [req('z', 'gt', ['1'])], false],
  ];
  it.each(table)('%j', (labels, reqs, want) => expect(newSelector(...reqs).matches(labels)).toBe(want));
});

// Upstream: TestSetSelectorParser.
describe('parsed requirements (TestSetSelectorParser)', () => {
  const valid: Array<[string, Requirement[]]> = [
    ['', []],
    ['\rx', [req('x', 'exists')]],
    ['this-is-a-dns.domain.com/key-with-dash', [req('this-is-a-dns.domain.com/key-with-dash', 'exists')]],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', [req('this-is-another-dns.domain.com/key-with-dash', 'in', ['so', 'what'])]],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', [req('0.1.2.domain/99', 'notin', ['10.10.100.1', 'tick.tack.clock'])]],
    ['foo  in\t (abc)', [req('foo', 'in', ['abc'])]],
    ['x notin\n (abc)', [req('x', 'notin', ['abc'])]],
    ['x  notin\t\t\t(abc,def)', [req('x', 'notin', ['abc', 'def'])]],
    ['x in (abc,def)', [req('x', 'in', ['abc', 'def'])]],
    ['x in (abc,)', [req('x', 'in', ['', 'abc'])]],
    ['x in ()', [req('x', 'in', [''])]],
    ['x notin (abc,,def),bar,z in (),w', [req('bar', 'exists'), req('w', 'exists'), req('x', 'notin', ['', 'abc', 'def']), req('z', 'in', [''])]],
    ['x,y in (a)', [req('x', 'exists'), req('y', 'in', ['a'])]],
    ['x=a', [req('x', '=', ['a'])]],
    ['x>1', [req('x', 'gt', ['1'])]],
    ['x<7', [req('x', 'lt', ['7'])]],
    ['x=a,y!=b', [req('x', '=', ['a']), req('y', '!=', ['b'])]],
    ['x=a,y!=b,z in (h,i,j)', [req('x', '=', ['a']), req('y', '!=', ['b']), req('z', 'in', ['h', 'i', 'j'])]],
    ['x notin ( )', [req('x', 'notin', [''])]],
    ['x notin (, a)', [req('x', 'notin', ['', 'a'])]],
    ['a ', [req('a', 'exists')]],
    ['a in (x,y,notin, z,in)', [req('a', 'in', ['in', 'notin', 'x', 'y', 'z'])]],
    ['x in (b,a,b)', [req('x', 'in', ['a', 'b'])]],
  ];
  it.each(valid)('%j', (input, reqs) => expect(parseSelector(input).requirements).toEqual(reqs));

  const invalid: Array<[string, string]> = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_ERR}`],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a=b)', "unable to parse requirement: found '=', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['-x', `unable to parse requirement: <nil>: Invalid value: "-x": ${NAME_PART_ERR}`],
    ['a/b/c', "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"],
    ['Ex/y', "unable to parse requirement: <nil>: Invalid value: \"Ex/y\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
  ];
  it.each(invalid)('rejects %j', (input, message) => expect(parseError(input)).toBe(message));
});

// Upstream: apimachinery pkg/apis/meta/v1 helpers_test.go TestLabelSelectorAsSelector.
describe('labelSelectorAsSelector (TestLabelSelectorAsSelector)', () => {
  const matchLabels = { foo: 'bar' };
  const matchExpressions: LabelSelector['matchExpressions'] = [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }];

  it('an absent selector matches nothing', () => {
    const s = labelSelectorAsSelector(undefined);
    expect(s).toBe(nothing());
    expect(matchesNothing(s)).toBe(true);
    expect(s.matches({})).toBe(false);
    expect(s.matches({ any: 'label' })).toBe(false);
    expect(s.isEmpty()).toBe(false);
    expect(s.toString()).toBe('');
    expect(labelSelectorAsSelector(null).matches({})).toBe(false);
  });
  it('an empty selector matches everything', () => {
    const s = labelSelectorAsSelector({});
    expect(s.matches({})).toBe(true);
    expect(s.matches({ any: 'label' })).toBe(true);
    expect(s.isEmpty()).toBe(true);
    expect(matchesNothing(s)).toBe(false);
    expect(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).isEmpty()).toBe(true);
  });
  it.each([
    [{ matchLabels }, 'foo=bar'],
    [{ matchExpressions }, 'baz in (norf,qux)'],
    [{ matchLabels, matchExpressions }, 'baz in (norf,qux),foo=bar'],
    [{ matchExpressions: [{ key: 'baz', operator: 'NotIn', values: ['x'] }] }, 'baz notin (x)'],
    [{ matchExpressions: [{ key: 'baz', operator: 'Exists' }] }, 'baz'],
    [{ matchExpressions: [{ key: 'baz', operator: 'DoesNotExist', values: [] }] }, '!baz'],
  ] as Array<[LabelSelector, string]>)('%j', (ls, want) => {
    const before = JSON.stringify(ls);
    const s = labelSelectorAsSelector(ls);
    expect(s.toString()).toBe(want);
    expect(s.toString()).toBe(parseSelector(want).toString());
    expect(JSON.stringify(ls)).toBe(before);
  });
  it('rejects Exists with values', () => {
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'baz', operator: 'Exists', values: ['qux', 'norf'] }] }))
      .toThrow(new SelectorError('values: Invalid value: []string{"qux", "norf"}: values set must be empty for exists and does not exist'));
  });
  it('rejects In without values', () => {
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'baz', operator: 'In', values: [] }] }))
      .toThrow(new SelectorError("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"));
  });
  it('rejects unknown operators', () => {
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'baz', operator: 'Out' as 'In', values: ['x'] }] }))
      .toThrow(new SelectorError('"Out" is not a valid pod selector operator'));
  });
  it('rejects bad matchLabels', () => {
    expect(() => labelSelectorAsSelector({ matchLabels: { app: 'a b' } }))
      .toThrow(new SelectorError(`values[0][app]: Invalid value: "a b": ${LABEL_VALUE_ERR}`));
  });
  it('matches as the requirements say', () => {
    const s = labelSelectorAsSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] });
    expect(s.matches({ app: 'web' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'front' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'db' })).toBe(false);
    expect(s.matches({ tier: 'front' })).toBe(false);
  });
});

// Upstream: apimachinery pkg/apis/meta/v1/validation validation_test.go TestValidateLabelSelector.
describe('validateLabelSelector (TestValidateLabelSelector)', () => {
  const good: LabelSelector[] = [
    { matchLabels: { id: 'app2', id2: 'app3' }, matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar1', 'bar2'] }] },
    { matchExpressions: [{ key: 'key2', operator: 'In', values: ['value1', 'value2'] }] },
    { matchLabels: { id: 'app2' } },
    { matchLabels: { id: 'app2', id2: 'app3' }, matchExpressions: [{ key: 'foo', operator: 'NotIn', values: ['bar1', 'bar2'] }] },
    { matchLabels: { id: 'app2' }, matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
    { matchLabels: { id: 'app2' }, matchExpressions: [{ key: 'foo', operator: 'DoesNotExist' }] },
  ];
  it.each(good)('accepts %j', (ls) => expect(validateLabelSelector(ls, 'field')).toEqual([]));
  it('accepts an absent selector', () => expect(validateLabelSelector(undefined, 'spec.selector')).toEqual([]));

  const expr = (e: object) => [{ key: 'foo', operator: 'In', values: ['bar1', 'bar2'] }, e] as LabelSelector['matchExpressions'];
  const bad: Array<[LabelSelector, string, string]> = [
    [{ matchLabels: { 'ids^=@': 'app2', id2: 'app3' }, matchExpressions: expr({ key: 'x', operator: 'Exists' }) }, 'field.matchLabels', 'name part must consist of'],
    [{ matchLabels: { 'only/one/slas': 'app2', id2: 'app3' } }, 'field.matchLabels', 'a qualified name must consist of'],
    [{ matchLabels: { only: 'app2', good: 'app3=@' } }, 'field.matchLabels[good]', 'a valid label must be an empty string or consist of'],
    [{ matchLabels: { only: 'app2', good: 'a'.repeat(64) } }, 'field.matchLabels[good]', 'must be no more than'],
    [{ matchExpressions: [{ key: 'foo', operator: 'In', values: [] }] }, 'field.matchExpressions[0].values', "Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    [{ matchExpressions: [{ key: 'foo', operator: 'NotIn', values: [] }] }, 'field.matchExpressions[0].values', "must be specified when `operator` is 'In' or 'NotIn'"],
    [{ matchExpressions: [{ key: 'foo', operator: 'Exists', values: ['bar1', 'bar2'] }] }, 'field.matchExpressions[0].values', "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    [{ matchExpressions: [{ key: 'foo', operator: 'DoesNotExist', values: ['bar1', 'bar2'] }] }, 'field.matchExpressions[0].values', "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    [{ matchExpressions: [{ key: 'foo', operator: 'Out' as 'In', values: ['bar1', 'bar2'] }] }, 'field.matchExpressions[0].operator', 'Invalid value: "Out": not a valid selector operator'],
    [{ matchExpressions: [{ key: 'foo^=@', operator: 'In', values: ['bar1', 'bar2'] }] }, 'field.matchExpressions[0].key', `Invalid value: "foo^=@": ${NAME_PART_ERR}`],
    [{ matchExpressions: expr({ key: 'foo', operator: 'In', values: ['ok', 'not ok'] }) }, 'field.matchExpressions[1].values[1]', `Invalid value: "not ok": ${LABEL_VALUE_ERR}`],
  ];
  it.each(bad)('rejects %j at %s', (ls, path, text) => {
    const diags = validateLabelSelector(ls, 'field');
    expect(diags).toHaveLength(1);
    expect(diags[0]!.path).toBe(path);
    expect(fieldErrorBody(diags[0]!)).toContain(text);
  });
  it('codes required and forbidden like field errors', () => {
    expect(validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] }, 'spec.selector')[0]!.code).toBe('required');
    expect(validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'spec.selector')[0]!.code).toBe('forbidden');
  });
  it('reports every problem of one expression', () => {
    const diags = validateLabelSelector({ matchExpressions: [{ key: '-k', operator: 'In', values: [] }] }, 'spec.selector');
    expect(diags.map((d) => d.path)).toEqual(['spec.selector.matchExpressions[0].values', 'spec.selector.matchExpressions[0].key']);
  });
});
