/**
 * Kubernetes resource quantities (apimachinery pkg/api/resource), exact: values are held as
 * bigint * 10^exp, never as floating point. Parsing, rounding, canonical formatting and
 * error texts follow ParseQuantity and Quantity.String().
 */

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  override name = 'QuantityError';
}

const MAX_INT64 = (1n << 63n) - 1n;
const MAX_INT32 = 2147483647;
const NANO = -9;

const DECIMAL_SUFFIXES = new Map<string, number>([
  ['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18],
]);
const DECIMAL_SUFFIX_OF = new Map<number, string>([...DECIMAL_SUFFIXES].map(([s, e]) => [e, s]));
const BINARY_SUFFIXES = new Map<string, number>([['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60]]);
const BINARY_SUFFIX_OF = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_CHARS = 'eEinumkKMGTP';
const EXPONENT_RE = /^[+-]?[0-9]+$/;

const POW10: bigint[] = [1n];
function pow10(n: number): bigint {
  if (n < 64) {
    while (POW10.length <= n) POW10.push(POW10[POW10.length - 1]! * 10n);
    return POW10[n]!;
  }
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function signOf(n: bigint): -1 | 0 | 1 {
  return n < 0n ? -1 : n > 0n ? 1 : 0;
}

function digitCount(n: bigint): number {
  return n === 0n ? 0 : abs(n).toString().length;
}

/** Moves factors of ten from the coefficient into the exponent; zero is always (0, 0). */
function normalize(coef: bigint, exp: number): [bigint, number] {
  if (coef === 0n) return [0n, 0];
  if (coef % 10n !== 0n) return [coef, exp];
  const s = abs(coef).toString();
  let zeros = 0;
  while (s.charCodeAt(s.length - 1 - zeros) === 0x30) zeros++;
  return [coef / pow10(zeros), exp + zeros];
}

/** coef / 10^n, rounded away from zero (inf.RoundUp), without building 10^n when n dwarfs coef. */
function divRoundAway(coef: bigint, n: number): bigint {
  if (n <= 0) return coef * pow10(-n);
  if (n > digitCount(coef)) return BigInt(signOf(coef));
  const p = pow10(n);
  const q = coef / p;
  return q * p === coef ? q : q + BigInt(signOf(coef));
}

function compareParts(ac: bigint, ae: number, bc: bigint, be: number): -1 | 0 | 1 {
  const sa = signOf(ac);
  const sb = signOf(bc);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Orders of magnitude decide first, so wildly different exponents never get expanded.
  const ma = digitCount(ac) + ae;
  const mb = digitCount(bc) + be;
  if (ma !== mb) return ma > mb ? sa : sa === 1 ? -1 : 1;
  const e = Math.min(ae, be);
  const x = ac * pow10(ae - e);
  const y = bc * pow10(be - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

interface Scanned {
  positive: boolean;
  /** Integer digits without leading zeros, '0' when there are none. */
  num: string;
  denom: string;
  suffix: string;
  hasDigits: boolean;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** parseQuantityString: splits sign, digits and suffix; undefined when the text has the wrong shape. */
function scan(str: string): Scanned | undefined {
  const end = str.length;
  let positive = true;
  let pos = 0;
  if (str.charCodeAt(0) === 0x2d) {
    positive = false;
    pos++;
  } else if (str.charCodeAt(0) === 0x2b) pos++;
  while (pos < end && str.charCodeAt(pos) === 0x30) pos++;
  const sawZero = pos > 0 && str.charCodeAt(pos - 1) === 0x30;
  // Nothing but a sign and zeros is zero, with no suffix looked at.
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '', hasDigits: true };
  let i = pos;
  while (i < end && isDigit(str.charCodeAt(i))) i++;
  const num = str.slice(pos, i) || '0';
  const hasInt = i > pos || sawZero;
  pos = i;
  let denom = '';
  if (pos < end && str.charCodeAt(pos) === 0x2e) {
    pos++;
    i = pos;
    while (i < end && isDigit(str.charCodeAt(i))) i++;
    denom = str.slice(pos, i);
    pos = i;
  }
  const hasDigits = hasInt || denom.length > 0;
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (pos < end && (str.charCodeAt(pos) === 0x2d || str.charCodeAt(pos) === 0x2b)) pos++;
  while (pos < end && isDigit(str.charCodeAt(pos))) pos++;
  if (pos < end) return undefined;
  return { positive, num, denom, suffix: str.slice(suffixStart), hasDigits };
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(s: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES.get(s);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES.get(s);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && EXPONENT_RE.test(s.slice(1))) {
    // The scale is an int32 that gets negated, so only +-MaxInt32 is representable.
    const exponent = Number(s.slice(1));
    if (Math.abs(exponent) <= MAX_INT32) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  return undefined;
}

/** Go strings.TrimSpace's set: Unicode White_Space, without JS trim()'s U+FEFF. */
const GO_SPACE_RE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

export class Quantity {
  /**
   * `coef` and `exp` are normalized (no factor of ten left in coef). `cached` is the parsed
   * text when ParseQuantity keeps it as the String() form, `cachedScale` the scale of the
   * int64 amount it was parsed into (RoundUp keeps the text only at or above that scale).
   */
  private constructor(
    private readonly coef: bigint,
    private readonly exp: number,
    private readonly fmt: QuantityFormat,
    private readonly cached?: string,
    private readonly cachedScale = 0,
  ) {}

  /** ParseQuantity. Numbers are read as their JavaScript decimal text (`0.5`, `1e+21`). */
  static parse(input: string | number): Quantity {
    const str = typeof input === 'string' ? input : String(input);
    if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_ERROR);
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);
    const sc = scan(str);
    if (!sc) throw new QuantityError(QUANTITY_FORMAT_ERROR);
    const suffix = interpretSuffix(sc.suffix);
    if (!suffix) throw new QuantityError(QUANTITY_SUFFIX_ERROR);
    const { num, denom } = sc;
    let format = suffix.format;

    // Upstream has an int64 fast path and an inf.Dec slow path. They agree on the value, but
    // only the fast path can keep the input text as the String() form, and only the slow
    // path fails on a number part without digits.
    let fast = false;
    let cached: string | undefined;
    let cachedScale = 0;
    if (format === 'BinarySI') {
      const precision = 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
      if (denom.length === 0 && precision >= 0) {
        fast = true;
        if (suffix.exponent % 10 === 0 && Number(num) % 8 !== 0) cached = str;
      }
    } else {
      const scale = suffix.exponent - denom.length;
      if (num.length + denom.length <= 18 && scale >= NANO) {
        fast = true;
        const shifted = num + denom;
        if (scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0') {
          cached = str;
          cachedScale = scale;
        }
      }
    }
    if (!fast && !sc.hasDigits) throw new QuantityError(QUANTITY_NUMERIC_ERROR);

    let coef = BigInt(num + denom);
    let exp = -denom.length;
    if (suffix.base === 10) exp += suffix.exponent;
    else coef <<= BigInt(suffix.exponent);
    if (!sc.positive) coef = -coef;
    // Non-zero values round up (away from zero) to the nano scale: asking for 0.1n gets 1n.
    if (exp < NANO) {
      coef = divRoundAway(coef, NANO - exp);
      exp = NANO;
    }
    if (format === 'BinarySI') {
      if (compareParts(abs(coef), exp, MAX_INT64, 0) > 0) {
        coef = coef < 0n ? -MAX_INT64 : MAX_INT64;
        exp = 0;
      } else if (coef !== 0n && compareParts(abs(coef), exp, 1n, 0) < 0) format = 'DecimalSI';
    }
    const [c, e] = normalize(coef, exp);
    return new Quantity(c, e, format, cached, cachedScale);
  }

  get format(): QuantityFormat {
    return this.fmt;
  }

  /** The same value printed in another format, as assigning Quantity.Format upstream. */
  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.coef, this.exp, format);
  }

  /** Quantity.String(): the kept input text if ParseQuantity kept it, else the canonical form. */
  toString(): string {
    return this.cached ?? this.canonical();
  }

  toJSON(): string {
    return this.toString();
  }

  /** CanonicalizeBytes: largest suffix of the quantity's own format that loses no precision. */
  private canonical(): string {
    if (this.coef === 0n) return '0';
    let format = this.fmt;
    if (format === 'BinarySI') {
      // Small or fractional binary amounts would round, so they print as DecimalSI.
      if (compareParts(abs(this.coef), this.exp, 1024n, 0) < 0 || this.exp < 0) format = 'DecimalSI';
      else {
        const n = this.coef * pow10(this.exp);
        let m = abs(n);
        let k = 0;
        while (k < BINARY_SUFFIX_OF.length && (m & 1023n) === 0n) {
          m >>= 10n;
          k++;
        }
        const suffix = BINARY_SUFFIX_OF[k];
        // Past Ei there is no binary suffix: fall back to exact exponent notation.
        if (suffix !== undefined) return `${n < 0n ? -m : m}${suffix}`;
        format = 'DecimalExponent';
      }
    }
    let amount = this.coef;
    let e = this.exp;
    const down = ((e % 3) + 3) % 3;
    amount *= pow10(down);
    e -= down;
    const si = format === 'DecimalSI' ? DECIMAL_SUFFIX_OF.get(e) : undefined;
    // Beyond E or below n DecimalSI has no suffix; exponent notation keeps the magnitude.
    return `${amount}${si ?? (e === 0 ? '' : `e${e}`)}`;
  }

  /** ScaledValue: ceil(q / 10^scale), rounding away from zero. Exact, never wraps like int64. */
  scaledValue(scale: number): bigint {
    return divRoundAway(this.coef, scale - this.exp);
  }

  /** Exact value * 1000, rounded up (Kubernetes MilliValue). */
  milliValue(): bigint {
    return this.scaledValue(-3);
  }

  /** Exact value rounded up to an integer (Kubernetes Value). */
  value(): bigint {
    return this.scaledValue(0);
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return compareParts(this.coef, this.exp, other.coef, other.exp);
  }

  equal(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** Add; a zero receiver takes the other's format, as upstream. */
  add(other: Quantity): Quantity {
    return this.combine(other.coef, other.exp, other.fmt);
  }

  sub(other: Quantity): Quantity {
    return this.combine(-other.coef, other.exp, other.fmt);
  }

  neg(): Quantity {
    return new Quantity(-this.coef, this.exp, this.fmt);
  }

  private combine(coef: bigint, exp: number, otherFormat: QuantityFormat): Quantity {
    const e = Math.min(this.exp, exp);
    const sum = this.coef * pow10(this.exp - e) + coef * pow10(exp - e);
    const [c, ne] = normalize(sum, e);
    return new Quantity(c, ne, this.coef === 0n ? otherFormat : this.fmt);
  }

  /** RoundUp(scale): rounds away from zero to a multiple of 10^scale; `exact` if nothing was lost. */
  roundUp(scale: number): { quantity: Quantity; exact: boolean } {
    if (this.coef === 0n || this.exp >= scale) {
      const keep = this.cached === undefined || this.cachedScale >= scale;
      return { quantity: keep ? this : new Quantity(this.coef, this.exp, this.fmt), exact: true };
    }
    const [c, e] = normalize(divRoundAway(this.coef, scale - this.exp), scale);
    return { quantity: new Quantity(c, e, this.fmt), exact: false };
  }

  isZero(): boolean {
    return this.coef === 0n;
  }

  sign(): -1 | 0 | 1 {
    return signOf(this.coef);
  }
}

/** Parses `500m`, `1.5`, `128Mi`, `1e3`, ... exactly. Throws QuantityError with Kubernetes' message. */
export function parseQuantity(input: string | number): Quantity {
  return Quantity.parse(input);
}

/**
 * As the API server reads a quantity from JSON/YAML (Quantity.UnmarshalJSON): surrounding
 * whitespace is trimmed first, so `" 1"` is accepted there although ParseQuantity rejects it.
 */
export function unmarshalQuantity(input: string | number): Quantity {
  return Quantity.parse(typeof input === 'string' ? input.replace(GO_SPACE_RE, '') : input);
}

/** The error text for an unparsable quantity, or undefined when it parses. */
export function quantityError(input: string | number): string | undefined {
  try {
    Quantity.parse(input);
    return undefined;
  } catch (e) {
    if (e instanceof QuantityError) return e.message;
    throw e;
  }
}
