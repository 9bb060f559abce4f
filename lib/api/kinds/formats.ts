/**
 * String-format validators from k8s.io/apimachinery/pkg/util/validation and
 * pkg/apis/core/validation not covered by names.ts/labels.ts: object-name rules, port
 * num-or-name, IP classification and CIDRs, local paths, relaxed env var names, HTTP headers.
 * Each returns Kubernetes' own messages; an empty array means valid.
 */
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidPortName, regexError } from '../names.ts';
import { checkRange, invalid, invalidEach, type Out } from './fields.ts';

// ---------------------------------------------------------------------------------------------
// Object names (apimachinery/pkg/api/validation/generic.go)

export type NameRule = 'dns-subdomain' | 'dns-label' | 'dns-1035-label' | 'path-segment';

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name;
}

/** IsValidPathSegmentName: the minimum every object name must satisfy. */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  if (name.includes('/')) errs.push(`may not contain '/'`);
  if (name.includes('%')) errs.push(`may not contain '%'`);
  return errs;
}

/** ValidateNameFunc for a rule; `prefix` is true for generateName. */
export function validateName(rule: NameRule, name: string, prefix: boolean): string[] {
  const n = prefix ? maskTrailingDash(name) : name;
  switch (rule) {
    case 'dns-subdomain':
      return isDNS1123Subdomain(n);
    case 'dns-label':
      return isDNS1123Label(n);
    case 'dns-1035-label':
      return isDNS1035Label(n);
    case 'path-segment':
      return isValidPathSegmentName(name);
  }
}

// ---------------------------------------------------------------------------------------------
// Ports

/** ValidatePortNumOrName: an integer 1..65535 or an IANA service name. */
export function validatePortNumOrName(out: Out, path: string, port: unknown): void {
  if (typeof port === 'number') {
    checkRange(out, path, port, 1, 65535);
  } else if (typeof port === 'string') {
    invalidEach(out, path, port, isValidPortName(port));
  }
}

// ---------------------------------------------------------------------------------------------
// IP addresses (netutils.ParseIPSloppy: IPv4 octets may have leading zeros)

/** Parses an IP to 4 or 16 bytes, or undefined (classification only; validity is names.isValidIP). */
export function parseIP(s: string): number[] | undefined {
  if (s.includes(':')) return parseIPv6(s);
  return parseIPv4(s);
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | undefined {
  if (s.includes('%')) return undefined; // zones are not IPs
  let tail: number[] = [];
  let str = s;
  const lastColon = str.lastIndexOf(':');
  if (str.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(str.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    str = str.slice(0, lastColon + 1) + '0:0'; // placeholder groups, replaced below
  }
  const dbl = str.indexOf('::');
  if (dbl !== -1 && str.indexOf('::', dbl + 1) !== -1) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  let groups: number[];
  if (dbl === -1) {
    const g = parseGroups(str);
    if (!g || g.length !== 8) return undefined;
    groups = g;
  } else {
    const head = parseGroups(str.slice(0, dbl));
    const rest = parseGroups(str.slice(dbl + 2));
    if (!head || !rest || head.length + rest.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** validation.IsValidIP */
export function validateIP(out: Out, path: string, value: string): boolean {
  const msgs = isValidIP(value);
  invalidEach(out, path, value, msgs);
  return msgs.length === 0;
}

/** The detail of a loopback address where a cluster needs a routable one (kite's local runtime allows it). */
export const LOOPBACK_IP_DETAIL = 'may not be in the loopback range (127.0.0.0/8, ::1/128)';

/** ValidateNonSpecialIP (Endpoints, externalIPs); assumes the value parsed. */
export function validateNonSpecialIP(out: Out, path: string, value: string): void {
  let b = parseIP(value);
  if (!b) return;
  if (b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) b = b.slice(12);
  if (b.every((x) => x === 0)) invalid(out, path, value, `may not be unspecified (${value})`);
  const loopback = b.length === 4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  if (loopback) invalid(out, path, value, LOOPBACK_IP_DETAIL);
  const linkLocal = b.length === 4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  if (linkLocal) invalid(out, path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  const llMulticast = b.length === 4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02;
  if (llMulticast) invalid(out, path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
}

/** validation.IsValidCIDR */
export function validateCIDR(out: Out, path: string, value: string): void {
  const slash = value.indexOf('/');
  const ip = slash === -1 ? undefined : parseIP(value.slice(0, slash));
  const bits = slash === -1 ? '' : value.slice(slash + 1);
  const ok = ip !== undefined && /^[0-9]{1,3}$/.test(bits) && Number(bits) <= ip.length * 8;
  if (!ok) invalid(out, path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
}

// ---------------------------------------------------------------------------------------------
// Paths

/** validatePathNoBacksteps */
export function validatePathNoBacksteps(out: Out, path: string, target: string): void {
  if (target.split('/').includes('..')) invalid(out, path, target, "must not contain '..'");
}

/** validateLocalDescendingPath */
export function validateLocalDescendingPath(out: Out, path: string, target: string): void {
  if (target.startsWith('/')) invalid(out, path, target, 'must be a relative path');
  validatePathNoBacksteps(out, path, target);
}

/** ValidateLocalNonReservedPath */
export function validateLocalNonReservedPath(out: Out, path: string, target: string): void {
  validateLocalDescendingPath(out, path, target);
  if (target.startsWith('..') && !target.startsWith('../')) invalid(out, path, target, "must not start with '..'");
}

// ---------------------------------------------------------------------------------------------
// Misc string formats

/**
 * IsRelaxedEnvVarName: RelaxedEnvironmentVariableValidation is on by default since 1.32, so
 * any printable ASCII except '=' is accepted, as a current cluster does.
 */
export function isEnvVarName(value: string): string[] {
  if (value.length === 0) return ['environment variable name must be non-empty'];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3d) return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}

/** IsHTTPHeaderName */
export function isHTTPHeaderName(value: string): string[] {
  if (/^[-A-Za-z0-9]+$/.test(value)) return [];
  return [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", '[-A-Za-z0-9]+', 'X-Header-Name')];
}

// ---------------------------------------------------------------------------------------------
// Times

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * metav1.Time and metav1.MicroTime on the wire: RFC 3339 (their UnmarshalJSON uses time.Parse
 * with the RFC3339 layouts). A value that does not parse would break every later reader
 * (`kubectl describe` ages), so it is refused.
 */
export function validateTime(out: Out, path: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const m = RFC3339.exec(value);
  const ok = m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31 && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60 && !Number.isNaN(Date.parse(value));
  if (!ok) invalid(out, path, value, 'must be a time in RFC 3339 format, e.g. "2006-01-02T15:04:05Z"');
}
