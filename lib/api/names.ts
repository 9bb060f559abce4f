/**
 * Name and identifier validators with Kubernetes' own messages (apimachinery
 * pkg/util/validation). Each returns the list of problems; an empty array means valid.
 * Lengths are counted in UTF-8 bytes, as Go's len() does.
 */

/** `must be no more than N characters` (validation.MaxLenError). */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** validation.RegexError, including its double space after each example's comma. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

export const EMPTY_ERROR = 'must be non-empty';

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** UTF-8 length without Buffer/TextEncoder, so lib/api stays platform-neutral. */
export function byteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair is 2 code units and 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_LABEL_ERR = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  DNS1123_LABEL_FMT, 'my-name', '123-abc');

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_ERR = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  DNS1123_SUBDOMAIN_FMT, 'example.com');

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const DNS1035_LABEL_ERR = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  DNS1035_LABEL_FMT, 'my-name', 'abc-123');

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots.
    errs.push(DNS1123_SUBDOMAIN_RE.test(value) ? 'must not contain dots' : DNS1123_LABEL_ERR);
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(DNS1123_SUBDOMAIN_ERR);
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!DNS1035_LABEL_RE.test(value)) errs.push(DNS1035_LABEL_ERR);
  return errs;
}

const C_IDENTIFIER_FMT = '[A-Za-z_][A-Za-z0-9_]*';
const C_IDENTIFIER_RE = new RegExp(`^${C_IDENTIFIER_FMT}$`);
const C_IDENTIFIER_ERR = regexError(
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
  C_IDENTIFIER_FMT, 'my_name', 'MY_NAME', 'MyName');

export function isCIdentifier(value: string): string[] {
  return C_IDENTIFIER_RE.test(value) ? [] : [C_IDENTIFIER_ERR];
}

/** Port numbers (IsValidPortNum): an integer in 1..65535. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

const PORT_NAME_CHARSET_RE = /^[-a-z0-9]+$/;
const PORT_NAME_LETTER_RE = /[a-z]/;

/** Named ports, an IANA_SVC_NAME (IsValidPortName): every rule reports separately, as upstream. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!PORT_NAME_CHARSET_RE.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!PORT_NAME_LETTER_RE.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export const isIANASvcName = isValidPortName;

const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const ENV_VAR_NAME_RE = new RegExp(`^${ENV_VAR_NAME_FMT}$`);
const ENV_VAR_NAME_ERR = regexError(
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
  ENV_VAR_NAME_FMT, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1');

/** Names that a path lookup would read as the current or parent directory. */
function hasChDirPrefix(value: string): string[] {
  if (value === '.') return [`must not be '.'`];
  if (value === '..') return [`must not be '..'`];
  if (value.startsWith('..')) return [`must not start with '..'`];
  return [];
}

export function isEnvVarName(value: string): string[] {
  const errs = ENV_VAR_NAME_RE.test(value) ? [] : [ENV_VAR_NAME_ERR];
  return errs.concat(hasChDirPrefix(value));
}

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_RE = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);
const CONFIG_MAP_KEY_ERR = regexError(
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
  CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name');

/** Keys of ConfigMap/Secret data (IsConfigMapKey). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_MAP_KEY_RE.test(value)) errs.push(CONFIG_MAP_KEY_ERR);
  return errs.concat(hasChDirPrefix(value));
}

const PERCENT_FMT = '[0-9]+%';
const PERCENT_RE = new RegExp(`^${PERCENT_FMT}$`);
const PERCENT_ERR = regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%');

export function isValidPercent(percent: string): string[] {
  return PERCENT_RE.test(percent) ? [] : [PERCENT_ERR];
}

const IP_ERR = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/**
 * IsValidIP: accepts what netutils.ParseIPSloppy accepts (Go 1.16 net.ParseIP), so IPv4
 * octets with leading zeros and IPv4-mapped IPv6 pass; zones, brackets and ports do not.
 */
export function isValidIP(value: string): string[] {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2e) return parseIPv4Sloppy(value, 0) === value.length ? [] : [IP_ERR];
    if (c === 0x3a) return parseIPv6Sloppy(value) ? [] : [IP_ERR];
  }
  return [IP_ERR];
}

// Go's dtoi/xtoi give up once a number reaches this, whatever follows.
const NUM_LIMIT = 0xffffff;

/** Parses 4 dotted decimal octets starting at `from`; returns the end offset, or -1. */
function parseIPv4Sloppy(s: string, from: number): number {
  let pos = from;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (s.charCodeAt(pos) !== 0x2e) return -1;
      pos++;
    }
    let n = 0;
    const start = pos;
    while (pos < s.length) {
      const d = s.charCodeAt(pos) - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      if (n >= NUM_LIMIT) return -1;
      pos++;
    }
    if (pos === start || n > 0xff) return -1;
  }
  return pos;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function parseIPv6Sloppy(s: string): boolean {
  let pos = 0;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    pos = 2;
    if (pos === s.length) return true;
  }
  let i = 0; // bytes of the 16-byte address filled so far
  while (i < 16) {
    let n = 0;
    const start = pos;
    let end = pos;
    while (end < s.length) {
      const d = hexDigit(s.charCodeAt(end));
      if (d < 0) break;
      n = n * 16 + d;
      if (n >= NUM_LIMIT) return false;
      end++;
    }
    if (end === start || n > 0xffff) return false;
    if (end < s.length && s.charCodeAt(end) === 0x2e) {
      // A trailing dotted IPv4 fills the last 4 bytes.
      if (ellipsis < 0 && i !== 12) return false;
      if (i + 4 > 16) return false;
      if (parseIPv4Sloppy(s, start) !== s.length) return false;
      pos = s.length;
      i += 4;
      break;
    }
    i += 2;
    pos = end;
    if (pos === s.length) break;
    if (s.charCodeAt(pos) !== 0x3a || pos + 1 === s.length) return false;
    pos++;
    if (s.charCodeAt(pos) === 0x3a) {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      pos++;
      if (pos === s.length) break;
    }
  }
  if (pos !== s.length) return false;
  // An ellipsis must stand for at least one group, and is required if groups are missing.
  return i < 16 ? ellipsis >= 0 : ellipsis < 0;
}

/** net.JoinHostPort: an IPv6 host goes in brackets. */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
