import { describe, expect, it } from 'vitest';
import {
  convertFieldSelector,
  escapeValue,
  everything,
  fieldSelectorFromSet,
  fieldSelectorMatcher,
  fieldsFor,
  FieldSelectorError,
  parseFieldSelector,
  parseFieldSelectorString,
  splitTerm,
  splitTerms,
  supportedFieldLabels,
  unescapeValue,
} from '../../../runtime/apiserver/field-selector.ts';

// Ported from apimachinery pkg/fields/selector_test.go.

describe('splitTerms (TestSplitTerms)', () => {
  const cases: Array<[string, string[]]> = [
    // Simple selectors
    ['a', ['a']],
    ['a=avalue', ['a=avalue']],
    ['a=avalue,b=bvalue', ['a=avalue', 'b=bvalue']],
    ['a=avalue,b==bvalue,c!=cvalue', ['a=avalue', 'b==bvalue', 'c!=cvalue']],
    // Empty terms
    ['', []],
    ['a=a,', ['a=a', '']],
    [',a=a', ['', 'a=a']],
    // Escaped values
    ['k=\\,,k2=v2', ['k=\\,', 'k2=v2']],
    ['k=\\\\,k2=v2', ['k=\\\\', 'k2=v2']],
    ['k=\\\\\\,,k2=v2', ['k=\\\\\\,', 'k2=v2']],
    ['k=\\a\\b\\', ['k=\\a\\b\\']],
    ['k=\\', ['k=\\']],
    // Multi-byte
    ['함=수,목=록', ['함=수', '목=록']],
  ];
  for (const [selector, terms] of cases) it(JSON.stringify(selector), () => expect(splitTerms(selector)).toEqual(terms));
});

describe('splitTerm (TestSplitTerm)', () => {
  const cases: Array<[string, { lhs: string; op: string; rhs: string } | undefined]> = [
    ['a=value', { lhs: 'a', op: '=', rhs: 'value' }],
    ['b==value', { lhs: 'b', op: '==', rhs: 'value' }],
    ['c!=value', { lhs: 'c', op: '!=', rhs: 'value' }],
    ['', undefined],
    ['a', undefined],
    ['k=\\,', { lhs: 'k', op: '=', rhs: '\\,' }],
    ['k=\\=', { lhs: 'k', op: '=', rhs: '\\=' }],
    ['k=\\\\\\a\\b\\=\\,\\', { lhs: 'k', op: '=', rhs: '\\\\\\a\\b\\=\\,\\' }],
    ['함=수', { lhs: '함', op: '=', rhs: '수' }],
  ];
  for (const [term, want] of cases) it(JSON.stringify(term), () => expect(splitTerm(term)).toEqual(want));
});

describe('escapeValue / unescapeValue (TestEscapeValue)', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ];
  for (const [raw, escaped] of cases) {
    it(JSON.stringify(raw), () => {
      expect(escapeValue(raw)).toBe(escaped);
      expect(unescapeValue(escaped)).toBe(raw);
    });
  }
  for (const bad of ['\\', '\\\\\\', '\\a']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(() => unescapeValue(bad)).toThrow(FieldSelectorError);
      expect(() => unescapeValue(bad)).toThrow('invalid escape sequence');
    });
  }
  it('error texts', () => {
    expect(() => unescapeValue('\\a')).toThrow('invalid field selector: invalid escape sequence: \\a');
    expect(() => unescapeValue('a\\')).toThrow('invalid field selector: invalid escape sequence: \\');
    // Go's %v of a rune prints its code point
    expect(() => unescapeValue('a,b')).toThrow('invalid field selector: unescaped character in value: 44');
    expect(() => unescapeValue('a=b')).toThrow('invalid field selector: unescaped character in value: 61');
  });
});

describe('parseFieldSelectorString (TestSelectorParse, TestDeterministicParse)', () => {
  for (const good of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) {
    it(`parses and restrings ${JSON.stringify(good)}`, () => expect(parseFieldSelectorString(good).toString()).toBe(good));
  }
  for (const bad of ['x=a||y=b', 'x==a==b', 'x=a,b', 'x in (a)', 'x in (a,b,c)', 'x']) {
    it(`rejects ${JSON.stringify(bad)}`, () => expect(() => parseFieldSelectorString(bad)).toThrow(FieldSelectorError));
  }
  it('error texts', () => {
    expect(() => parseFieldSelectorString('x=a,b')).toThrow("invalid selector: 'x=a,b'; can't understand 'b'");
    expect(() => parseFieldSelectorString('x==a==b')).toThrow('invalid field selector: unescaped character in value: 61');
  });
  it('is deterministic (terms sorted)', () => {
    expect(parseFieldSelectorString('x=a,a=x').toString()).toBe(parseFieldSelectorString('a=x,x=a').toString());
    expect(parseFieldSelectorString('x=a,a=x').toString()).toBe('a=x,x=a');
  });
  it('== restrings as =', () => expect(parseFieldSelectorString('b==c').toString()).toBe('b=c'));
});

describe('matching (TestSelectorMatches, TestEverything, TestSetMatches, TestRequiresExactMatch)', () => {
  const match = (s: string, set: Record<string, string>) => parseFieldSelectorString(s).matches(set);
  it('matches', () => {
    expect(match('', { x: 'y' })).toBe(true);
    expect(match('x=y', { x: 'y' })).toBe(true);
    expect(match('x=y,z=w', { x: 'y', z: 'w' })).toBe(true);
    expect(match('x!=y,z!=w', { x: 'z', z: 'a' })).toBe(true);
    expect(match('notin=in', { notin: 'in' })).toBe(true);
    expect(match('x=y', { x: 'z' })).toBe(false);
    expect(match('x=y,z=w', { x: 'w', z: 'w' })).toBe(false);
    expect(match('x!=y,z!=w', { x: 'z', z: 'w' })).toBe(false);
    const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
    expect(match('foo=bar', fieldset)).toBe(true);
    expect(match('baz=blah', fieldset)).toBe(true);
    expect(match('foo=bar,baz=blah', fieldset)).toBe(true);
    expect(match('foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset)).toBe(true);
    expect(match('foo=blah', fieldset)).toBe(false);
    expect(match('baz=bar', fieldset)).toBe(false);
    expect(match('foo=bar,foobar=bar,baz=blah', fieldset)).toBe(false);
    // a missing field reads as ''
    expect(match('missing=', {})).toBe(true);
    expect(match('missing!=', {})).toBe(false);
  });
  it('everything', () => {
    expect(everything().matches({ x: 'y' })).toBe(true);
    expect(everything().isEmpty()).toBe(true);
    expect(parseFieldSelectorString('a=b').isEmpty()).toBe(false);
  });
  it('set selectors', () => {
    const labelset = { foo: 'bar', baz: 'blah' };
    expect(fieldSelectorFromSet({}).matches(labelset)).toBe(true);
    expect(fieldSelectorFromSet({ foo: 'bar', baz: 'blah' }).matches(labelset)).toBe(true);
    expect(fieldSelectorFromSet({ foo: '=blah' }).matches(labelset)).toBe(false);
    expect(fieldSelectorFromSet({ foo: '=bar', foobar: 'bar', baz: 'blah' }).matches(labelset)).toBe(false);
  });
  it('requiresExactMatch', () => {
    expect(everything().requiresExactMatch('test')).toBeUndefined();
    expect(parseFieldSelectorString('a=b').requiresExactMatch('test')).toBeUndefined();
    expect(parseFieldSelectorString('test=b').requiresExactMatch('test')).toBe('b');
    expect(parseFieldSelectorString('test=').requiresExactMatch('test')).toBe('');
    expect(parseFieldSelectorString('test!=b').requiresExactMatch('test')).toBeUndefined();
    expect(parseFieldSelectorString('a=x,test==b').requiresExactMatch('test')).toBe('b');
  });
});

describe('per-resource field labels (ConvertFieldLabel)', () => {
  it('pods accept their fields and rename spec.host', () => {
    const r = parseFieldSelector('spec.host=node-1,status.phase!=Running', 'pods');
    expect('selector' in r && r.selector.toString()).toBe('spec.nodeName=node-1,status.phase!=Running');
  });
  it('unsupported labels: "field label not supported" where a kind registers a conversion', () => {
    expect(parseFieldSelector('spec.foo=bar', 'pods')).toEqual({ error: 'field label not supported: spec.foo' });
    expect(parseFieldSelector('metadata.namespace=x', 'nodes')).toEqual({ error: 'field label not supported: metadata.namespace' });
    expect(parseFieldSelector('metadata.namespace=x', 'namespaces')).toEqual({ error: 'field label not supported: metadata.namespace' });
    expect(parseFieldSelector('spec.replicas=1', 'replicationcontrollers')).toEqual({ error: 'field label not supported: spec.replicas' });
  });
  it('unsupported labels: the default conversion for kinds without one', () => {
    const msg = '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"';
    expect(parseFieldSelector('status.replicas=0', 'replicasets')).toEqual({ error: msg });
    expect(parseFieldSelector('status.replicas=0', 'replicasets.apps')).toEqual({ error: msg });
    expect(parseFieldSelector('subsets=x', 'endpoints')).toEqual({
      error: '"subsets" is not a known field selector: only "metadata.name", "metadata.namespace"',
    });
    expect('selector' in parseFieldSelector('metadata.name=a,metadata.namespace=b', 'configmaps')).toBe(true);
  });
  it('syntax errors come first', () => {
    expect(parseFieldSelector('x', 'pods')).toEqual({ error: "invalid selector: 'x'; can't understand 'x'" });
  });
  it('without a resource only the syntax is checked', () => {
    expect('selector' in parseFieldSelector('anything=goes')).toBe(true);
  });
  it('convertFieldSelector throws FieldSelectorError', () => {
    expect(() => convertFieldSelector('services', parseFieldSelectorString('spec.ports=1'))).toThrow('field label not supported: spec.ports');
    expect(convertFieldSelector('services', parseFieldSelectorString('spec.type=NodePort')).toString()).toBe('spec.type=NodePort');
  });
  it('supportedFieldLabels', () => {
    expect(supportedFieldLabels('events').sort()).toEqual(
      [
        'involvedObject.apiVersion',
        'involvedObject.fieldPath',
        'involvedObject.kind',
        'involvedObject.name',
        'involvedObject.namespace',
        'involvedObject.resourceVersion',
        'involvedObject.uid',
        'metadata.name',
        'metadata.namespace',
        'reason',
        'reportingComponent',
        'source',
        'type',
      ].sort(),
    );
    expect(supportedFieldLabels('widgets')).toEqual(['metadata.name', 'metadata.namespace']);
  });
});

describe('fieldsFor', () => {
  it('pods', () => {
    const pod = {
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: 'node-1', restartPolicy: 'Always', schedulerName: 'default-scheduler', hostNetwork: true },
      status: { phase: 'Running', podIP: '10.0.0.2', podIPs: [{ ip: '10.0.0.9' }] },
    };
    expect(fieldsFor('pods', pod)).toEqual({
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.nodeName': 'node-1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'true',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.9',
      'status.nominatedNodeName': '',
    });
    expect(fieldsFor('pods', { metadata: { name: 'p' }, status: { podIP: '10.0.0.2' } })['status.podIP']).toBe('10.0.0.2');
  });
  it('events (kubectl describe)', () => {
    const ev = {
      metadata: { name: 'web.17', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
      reason: 'Started',
      type: 'Normal',
      reportingComponent: 'kubelet',
      source: {},
    };
    const f = fieldsFor('events', ev);
    expect(f).toMatchObject({ 'involvedObject.uid': 'u-1', 'involvedObject.resourceVersion': '', source: 'kubelet', reportingComponent: 'kubelet', type: 'Normal' });
    const m = fieldSelectorMatcher('events', 'involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u-1');
    expect('matches' in m && m.matches(ev)).toBe(true);
    const other = fieldSelectorMatcher('events', 'involvedObject.kind=ReplicaSet');
    expect('matches' in other && other.matches(ev)).toBe(false);
  });
  it('cluster-scoped kinds have no metadata.namespace; nodes and namespaces', () => {
    expect(fieldsFor('nodes', { metadata: { name: 'n' }, spec: { unschedulable: true } })).toEqual({ 'metadata.name': 'n', 'spec.unschedulable': 'true' });
    expect(fieldsFor('nodes', { metadata: { name: 'n' } })).toEqual({ 'metadata.name': 'n', 'spec.unschedulable': 'false' });
    expect(fieldsFor('namespaces', { metadata: { name: 'ns' }, status: { phase: 'Active' } })).toEqual({ 'metadata.name': 'ns', 'status.phase': 'Active' });
  });
  it('controllers and services', () => {
    expect(fieldsFor('replicationcontrollers', { metadata: { name: 'r', namespace: 'd' }, status: { replicas: 3 } })['status.replicas']).toBe('3');
    expect(fieldsFor('replicationcontrollers', { metadata: { name: 'r', namespace: 'd' } })['status.replicas']).toBe('0');
    expect(fieldsFor('services', { metadata: { name: 's', namespace: 'd' }, spec: { type: 'NodePort', clusterIP: '10.0.0.7' } })).toEqual({
      'metadata.name': 's',
      'metadata.namespace': 'd',
      'spec.clusterIP': '10.0.0.7',
      'spec.type': 'NodePort',
    });
  });
  it('kubectl delete --wait: metadata.name on any resource', () => {
    const m = fieldSelectorMatcher('configmaps', 'metadata.name=web');
    expect('matches' in m && m.matches({ metadata: { name: 'web', namespace: 'x' } })).toBe(true);
    expect('matches' in m && m.matches({ metadata: { name: 'web2', namespace: 'x' } })).toBe(false);
    expect(fieldSelectorMatcher('configmaps', 'data=1')).toEqual({ error: '"data" is not a known field selector: only "metadata.name", "metadata.namespace"' });
  });
});
