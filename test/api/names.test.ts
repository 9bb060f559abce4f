import { describe, expect, it } from 'vitest';
import {
  byteLength, isCIdentifier, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isEnvVarName,
  isIANASvcName, isValidIP, isValidPercent, isValidPortName, isValidPortNum, regexError,
} from '../../lib/api/names.ts';

const a = (n: number, c = 'a') => c.repeat(n);

const SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_ERR = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

// Upstream: apimachinery pkg/util/validation validation_test.go TestIsDNS1123Label.
describe('isDNS1123Label (TestIsDNS1123Label)', () => {
  const good = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', a(63)];
  const bad = [
    '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A',
    '-', 'a-', '-a', '1-', '-1',
    '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2',
    ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
    a(64),
  ];
  it.each(good)('accepts %j', (v) => expect(isDNS1123Label(v)).toEqual([]));
  it.each(bad)('rejects %j', (v) => expect(isDNS1123Label(v).length).toBeGreaterThan(0));
  it('says "must not contain dots" for a valid subdomain', () => {
    expect(isDNS1123Label('a.b')).toEqual(['must not contain dots']);
  });
  it('gives the regex message otherwise', () => expect(isDNS1123Label('A')).toEqual([LABEL_ERR]));
  it('reports length alone when only the length is wrong', () => {
    expect(isDNS1123Label(a(64))).toEqual(['must be no more than 63 characters']);
  });
});

// Upstream: validation_test.go TestIsDNS1123Subdomain.
describe('isDNS1123Subdomain (TestIsDNS1123Subdomain)', () => {
  const good = [
    'a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b',
    '0', '01', '012', '1a', '1-a', '1--a--b--2',
    'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a',
    'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1',
    '0.a', '01.a', '012.a', '1a.a', '1-a.a', '1--a--b--2',
    '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1',
    'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55',
    a(253),
  ];
  const bad = [
    '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A',
    '-', 'a-', '-a', '1-', '-1',
    '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2',
    ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
    'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A',
    'A.1', 'aB.1', 'A1.1', '1A.1',
    '0.A', '01.A', '012.A', '1A.a', '1a.A',
    'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee',
    'a@b', 'a,b', 'a_b', 'a;b',
    'a:b', 'a%b', 'a?b', 'a$b',
    a(254),
  ];
  it.each(good)('accepts %j', (v) => expect(isDNS1123Subdomain(v)).toEqual([]));
  it.each(bad)('rejects %j', (v) => expect(isDNS1123Subdomain(v).length).toBeGreaterThan(0));
  it('uses the upstream message verbatim', () => expect(isDNS1123Subdomain('Example.com')).toEqual([SUBDOMAIN_ERR]));
  it('reports both length and format', () => {
    expect(isDNS1123Subdomain(`${a(254)}-`)).toEqual(['must be no more than 253 characters', SUBDOMAIN_ERR]);
  });
  it('counts length in UTF-8 bytes as Go does', () => {
    expect(isDNS1123Subdomain(`${a(252)}é`)).toEqual(['must be no more than 253 characters', SUBDOMAIN_ERR]);
    expect(byteLength('aé€😀')).toBe(1 + 2 + 3 + 4);
  });
});

// Upstream: validation_test.go TestIsDNS1035Label.
describe('isDNS1035Label (TestIsDNS1035Label)', () => {
  const good = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', a(63)];
  const bad = [
    '0', '01', '012', '1a', '1-a', '1--a--b--2',
    '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A',
    '-', 'a-', '-a', '1-', '-1',
    '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2',
    ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
    a(64),
  ];
  it.each(good)('accepts %j', (v) => expect(isDNS1035Label(v)).toEqual([]));
  it.each(bad)('rejects %j', (v) => expect(isDNS1035Label(v).length).toBeGreaterThan(0));
  it('uses the upstream message verbatim', () => expect(isDNS1035Label('1a')).toEqual([DNS1035_ERR]));
});

// Upstream: validation_test.go TestIsValidPortNum.
describe('isValidPortNum (TestIsValidPortNum)', () => {
  it.each([1, 2, 1000, 16384, 32768, 65535])('accepts %d', (p) => expect(isValidPortNum(p)).toEqual([]));
  it.each([0, -1, 65536, 100000, 1.5, Number.NaN])('rejects %d', (p) => {
    expect(isValidPortNum(p)).toEqual(['must be between 1 and 65535, inclusive']);
  });
});

// Upstream: validation_test.go TestIsValidPortName.
describe('isValidPortName / isIANASvcName (TestIsValidPortName)', () => {
  const good = ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'];
  const bad = ['longerthan15characters', '', a(16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++'];
  it.each(good)('accepts %j', (v) => expect(isValidPortName(v)).toEqual([]));
  it.each(bad)('rejects %j', (v) => expect(isIANASvcName(v).length).toBeGreaterThan(0));
  it('reports every broken rule with upstream wording', () => {
    expect(isValidPortName('-12--')).toEqual([
      'must contain at least one letter (a-z)',
      'must not contain consecutive hyphens',
      'must not begin or end with a hyphen',
    ]);
    expect(isValidPortName('whois++')).toEqual(['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
    expect(isValidPortName(a(16))).toEqual(['must be no more than 15 characters']);
  });
});

// Upstream: ip_test.go TestIsValidIP, the legacy (ParseIPSloppy) column: IsValidIP of a
// release with sloppy parsing accepts leading zeros and IPv4-mapped IPv6.
describe('isValidIP (TestIsValidIP, legacy column)', () => {
  const good = [
    '1.2.3.4', '0.0.0.0', '255.255.255.255', '1234::abcd', '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    '0:0:0:0:0:0:0:0', '0001:002:03:4::', '1234::ABCD', '1.1.1.01', '::ffff:1.1.1.1',
    '::1', '2001:db8::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '::1.2.3.4',
  ];
  const bad = [
    '', 'aaaaaaa', 'myhost.mydomain', '1.2.3.0/24', '1.2.3.400', '-1.0.0.0', '2001:db8::10005', '1.2.3.4:80',
    '[2001:db8::1]', '[2001:db8::1]:80', 'example.com:80', '1234::abcd%eth0', '169.254.0.0%eth0',
    '1.2.3', '1.2.3.4.5', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:2:3:4:5:6:7::8', ':1::', '1:', '1.2.3.4::',
  ];
  it.each(good)('accepts %j', (v) => expect(isValidIP(v)).toEqual([]));
  it.each(bad)('rejects %j', (v) => {
    expect(isValidIP(v)).toEqual(['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  });
});

// Derived from IsEnvVarName's regex and its hasChDirPrefix rule (no upstream table exists).
describe('isEnvVarName', () => {
  it.each(['A', 'a', '_', '-', 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1', '.a', 'a..b'])('accepts %j', (v) => {
    expect(isEnvVarName(v)).toEqual([]);
  });
  it('rejects a leading digit with the upstream message', () => {
    expect(isEnvVarName('1A')).toEqual([regexError(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
      '[-._a-zA-Z][-._a-zA-Z0-9]*', 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1')]);
  });
  it.each(['', 'a b', 'a=b', 'a$'])('rejects %j', (v) => expect(isEnvVarName(v)).toHaveLength(1));
  it('rejects directory names', () => {
    expect(isEnvVarName('.')).toEqual([`must not be '.'`]);
    expect(isEnvVarName('..')).toEqual([`must not be '..'`]);
    expect(isEnvVarName('..a')).toEqual([`must not start with '..'`]);
  });
});

// Upstream: validation_test.go TestIsConfigMapKey and TestIsValidPercent.
describe('isConfigMapKey (TestIsConfigMapKey)', () => {
  it.each(['a', 'good', 'good-good', 'still.good', 'this.is.also.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'])(
    'accepts %j', (v) => expect(isConfigMapKey(v)).toEqual([]));
  it.each(['.', '..', '..bad', 'b*d', 'bad!&bad'])('rejects %j', (v) => expect(isConfigMapKey(v).length).toBeGreaterThan(0));
});

describe('isValidPercent (TestIsValidPercent)', () => {
  it.each(['0%', '00000%', '1%', '01%', '99%', '100%', '101%'])('accepts %j', (v) => expect(isValidPercent(v)).toEqual([]));
  it.each(['', '0', '100', '0.0%', '99.9%', 'hundred', ' 1%', '1% ', '-0%', '-1%', '+1%'])('rejects %j', (v) => {
    expect(isValidPercent(v)).toHaveLength(1);
  });
});

// No upstream table; the message is IsCIdentifier's.
describe('isCIdentifier', () => {
  it.each(['a', '_', 'my_name', 'MY_NAME', 'MyName', '_1'])('accepts %j', (v) => expect(isCIdentifier(v)).toEqual([]));
  it.each(['', '1a', 'a-b', 'a.b', 'a b'])('rejects %j', (v) => {
    expect(isCIdentifier(v)).toEqual(["a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')"]);
  });
});
