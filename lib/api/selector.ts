/**
 * Label selectors: the string language (apimachinery pkg/labels selector.go lexer and
 * parser), matching, canonical String(), metav1.LabelSelectorAsSelector and
 * ValidateLabelSelector. Error texts are the upstream ones, field paths included.
 */
import { compareGoStrings } from './go-order.ts';
import { fieldError, joinPath, type Diagnostic } from './diagnostics.ts';
import { aggregateMessages, formatFieldError } from './field-error.ts';
import { goStringSlice } from './go-value.ts';
import { goQuote, isQualifiedName, isValidLabelValue, validateLabels } from './labels.ts';

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
export interface Requirement { key: string; operator: Operator; values: string[] }
export interface LabelSelectorRequirement { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }
export interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] }

export class SelectorError extends Error {
  override name = 'SelectorError';
}

export interface Selector {
  readonly requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  isEmpty(): boolean;
  /** Canonical string form, as Kubernetes' Selector.String() (requirements sorted by key). */
  toString(): string;
}

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** strconv.ParseInt(s, 10, 64), or undefined where Go reports an error. */
function parseInt64(s: string): bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

function hasLabel(labels: Readonly<Record<string, string>> | undefined, key: string): boolean {
  return labels != null && Object.hasOwn(labels, key);
}

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  switch (r.operator) {
    case 'in': case '=': case '==':
      return hasLabel(labels, r.key) && r.values.includes(labels![r.key]!);
    case 'notin': case '!=':
      return !hasLabel(labels, r.key) || !r.values.includes(labels![r.key]!);
    case 'exists':
      return hasLabel(labels, r.key);
    case '!':
      return !hasLabel(labels, r.key);
    case 'gt': case 'lt': {
      if (!hasLabel(labels, r.key) || r.values.length !== 1) return false;
      const have = parseInt64(labels![r.key]!);
      const want = parseInt64(r.values[0]!);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

const OPERATOR_TEXT: Record<Operator, string> = {
  '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '',
};

function requirementString(r: Requirement): string {
  const key = r.operator === '!' ? `!${r.key}` : r.key;
  if (r.operator === 'exists' || r.operator === '!') return key;
  // Value order is normalized on output only, as upstream's safeSort.
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort(compareGoStrings).join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${key}${OPERATOR_TEXT[r.operator] ?? ''}${set ? `(${values})` : values}`;
}

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];

  constructor(requirements: Requirement[]) {
    // A stable sort: equal keys keep their order, as Go's sort.Sort does for short lists.
    this.requirements = requirements.sort((a, b) => compareGoStrings(a.key, b.key));
  }

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    for (const r of this.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

const NOTHING: Selector = Object.freeze({
  requirements: Object.freeze([]) as readonly Requirement[],
  matches: () => false,
  isEmpty: () => false,
  toString: () => '',
});

/** labels.Everything(): matches every label set. */
export function everything(): Selector {
  return new RequirementsSelector([]);
}

/** labels.NewSelector().Add(...): requirements ANDed, sorted by key. */
export function newSelector(...requirements: Requirement[]): Selector {
  return new RequirementsSelector([...requirements]);
}

/** labels.Nothing(): matches no label set; unlike Everything() it is not empty. */
export function nothing(): Selector {
  return NOTHING;
}

export function matchesNothing(selector: Selector): boolean {
  return selector === NOTHING;
}

const SUPPORTED_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt', 'exists', '!'];
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

function child(path: string | undefined, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** labels.NewRequirement's checks as field errors; `values` undefined is a nil slice. */
function requirementErrors(key: string, op: string, values: readonly string[] | undefined, path?: string): Diagnostic[] {
  const errs: Diagnostic[] = [];
  const vals = values ?? [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(fieldError('invalid', child(path, 'key'), key, keyErrs.join('; ')));
  const valuePath = child(path, 'values');
  const badCount = (detail: string) => errs.push(fieldError('invalid', valuePath, goStringSlice(values), detail));
  switch (op) {
    case 'in': case 'notin':
      if (vals.length === 0) badCount("for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=': case '==': case '!=':
      if (vals.length !== 1) badCount('exact-match compatibility requires one single value');
      break;
    case 'exists': case '!':
      if (vals.length !== 0) badCount('values set must be empty for exists and does not exist');
      break;
    case 'gt': case 'lt':
      if (vals.length !== 1) badCount("for 'Gt', 'Lt' operators, exactly one value is required");
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(fieldError('invalid', `${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(fieldError('unsupported', child(path, 'operator'), op, `supported values: ${SUPPORTED_OPERATORS.map(goQuote).join(', ')}`));
  }
  vals.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0) errs.push(fieldError('invalid', `${valuePath}[${i}][${key}]`, v, msgs.join('; ')));
  });
  return errs;
}

/** The aggregated text of field errors a parse error carries. */
function aggregate(errs: readonly Diagnostic[]): string {
  return aggregateMessages(errs.map(formatFieldError));
}

/** labels.NewRequirement. Throws SelectorError with the aggregated field errors. */
export function newRequirement(key: string, operator: Operator, values: readonly string[] | undefined): Requirement {
  const errs = requirementErrors(key, operator, values);
  if (errs.length > 0) throw new SelectorError(aggregate(errs));
  return { key, operator, values: [...(values ?? [])] };
}

// ---- the string language ----

type Token = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const LITERAL_TOKENS = new Map<string, Token>([
  [')', ')'], [',', ','], ['!', '!'], ['==', '=='], ['=', '='], ['>', '>'],
  ['in', 'in'], ['<', '<'], ['!=', '!='], ['notin', 'notin'], ['(', '('],
]);

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isSpecialSymbol(c: number): boolean {
  return c === 0x3d || c === 0x21 || c === 0x28 || c === 0x29 || c === 0x2c || c === 0x3e || c === 0x3c;
}

/** The upstream Lexer, kept byte-for-byte in behaviour: a NUL character reads as end of input. */
export function lex(s: string): Array<[Token, string]> {
  let pos = 0;
  const read = (): number => (pos < s.length ? s.charCodeAt(pos++) : 0);
  const items: Array<[Token, string]> = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (ch === 0) {
      items.push(['eos', '']);
      return items;
    }
    pos--;
    if (isSpecialSymbol(ch)) {
      // Longest run of special characters that still spells a token.
      let buffer = '';
      let last: [Token, string] | undefined;
      for (;;) {
        const c = read();
        if (c === 0) break;
        if (!isSpecialSymbol(c)) {
          pos--;
          break;
        }
        buffer += String.fromCharCode(c);
        const tok = LITERAL_TOKENS.get(buffer);
        if (tok) last = [tok, buffer];
        else if (last) {
          pos--;
          break;
        }
      }
      items.push(last ?? ['error', `error expected: keyword found '${buffer}'`]);
    } else {
      const start = pos;
      let end = pos;
      for (;;) {
        const c = read();
        if (c === 0) break;
        if (isSpecialSymbol(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        end = pos;
      }
      const literal = s.slice(start, end);
      items.push([LITERAL_TOKENS.get(literal) ?? 'id', literal]);
    }
  }
}

class Parser {
  private position = 0;

  constructor(private readonly items: Array<[Token, string]>) {}

  /** In value position `in` and `notin` are plain identifiers (`x in (in)`). */
  private peek(values: boolean): [Token, string] {
    const [tok, lit] = this.items[this.position]!;
    return [values && (tok === 'in' || tok === 'notin') ? 'id' : tok, lit];
  }

  private next(values: boolean): [Token, string] {
    const item = this.peek(values);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const [tok, lit] = this.peek(true);
      if (tok === 'eos') return requirements;
      if (tok !== 'id' && tok !== '!') throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.parseRequirement());
      } catch (e) {
        if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const [t, l] = this.next(true);
      if (t === 'eos') return requirements;
      if (t !== ',') throw new SelectorError(`found '${l}', expected: ',' or 'end of string'`);
      const [t2, l2] = this.peek(true);
      if (t2 !== 'id' && t2 !== '!') throw new SelectorError(`found '${l2}', expected: identifier after ','`);
    }
  }

  private parseRequirement(): Requirement {
    let [tok, key] = this.next(true);
    let operator: Operator | undefined;
    if (tok === '!') {
      operator = '!';
      [tok, key] = this.next(true);
    }
    if (tok !== 'id') throw new SelectorError(`found '${key}', expected: identifier`);
    const keyErrs = isQualifiedName(key);
    // The parser validates keys at its own (nil) field path, which Go prints as <nil>.
    if (keyErrs.length > 0) throw new SelectorError(`<nil>: ${formatFieldError(fieldError('invalid', '', key, keyErrs.join('; ')))}`);
    const [after] = this.peek(true);
    if ((after === 'eos' || after === ',') && operator !== '!') operator = 'exists';
    // `!key` takes no operator; anything after it is left for parse() to reject.
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);
    operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator, [...values].sort(compareGoStrings));
  }

  private parseOperator(): Operator {
    const [tok, lit] = this.next(false);
    switch (tok) {
      case 'in': return 'in';
      case 'notin': return 'notin';
      case '=': return '=';
      case '==': return '==';
      case '!=': return '!=';
      case '>': return 'gt';
      case '<': return 'lt';
      default: throw new SelectorError(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private parseValues(): Set<string> {
    const [open, openLit] = this.next(true);
    if (open !== '(') throw new SelectorError(`found '${openLit}' expected: '('`);
    const [tok, lit] = this.peek(true);
    if (tok === ')') {
      this.next(true);
      return new Set(['']);
    }
    if (tok !== 'id' && tok !== ',') throw new SelectorError(`found '${lit}', expected: ',', ')' or identifier`);
    const set = this.parseIdentifiersList();
    this.next(true); // parseIdentifiersList only returns in front of ')'
    return set;
  }

  /** A possibly empty, comma separated list of possibly empty values: `(,a)`, `(a,,b)`. */
  private parseIdentifiersList(): Set<string> {
    const set = new Set<string>();
    for (;;) {
      const [tok, lit] = this.next(true);
      if (tok === 'id') {
        set.add(lit);
        const [tok2, lit2] = this.peek(true);
        if (tok2 === ')') return set;
        if (tok2 !== ',') throw new SelectorError(`found '${lit2}', expected: ',' or ')'`);
      } else if (tok === ',') {
        if (set.size === 0) set.add('');
        const [tok2] = this.peek(true);
        if (tok2 === ')') {
          set.add('');
          return set;
        }
        if (tok2 === ',') set.add('');
      } else throw new SelectorError(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const [ahead] = this.peek(true);
    if (ahead === 'eos' || ahead === ',') return [''];
    const [tok, lit] = this.next(true);
    if (tok === 'id') return [lit];
    throw new SelectorError(`found '${lit}', expected: identifier`);
  }
}

/** The string language: `a=b,c!=d,e in (x,y),f notin (z),g,!h,i>1`. Throws SelectorError. */
export function parseSelector(input: string): Selector {
  return new RequirementsSelector(new Parser(lex(input)).parse());
}

const LABEL_SELECTOR_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: an absent selector matches nothing, an empty one
 * everything. Throws SelectorError.
 */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls == null) return NOTHING;
  const matchLabels = ls.matchLabels ?? {};
  const expressions = ls.matchExpressions ?? [];
  const labelKeys = Object.keys(matchLabels);
  if (labelKeys.length + expressions.length === 0) return everything();
  const requirements: Requirement[] = [];
  // Go walks matchLabels in random order; sorted keys make the first error deterministic.
  for (const key of labelKeys.sort(compareGoStrings)) requirements.push(newRequirement(key, '=', [matchLabels[key]!]));
  for (const expr of expressions) {
    const op = Object.hasOwn(LABEL_SELECTOR_OPERATORS, expr.operator) ? LABEL_SELECTOR_OPERATORS[expr.operator] : undefined;
    if (op === undefined) throw new SelectorError(`${goQuote(String(expr.operator ?? ''))} is not a valid pod selector operator`);
    const values = expr.values && expr.values.length > 0 ? expr.values : undefined;
    requirements.push(newRequirement(expr.key, op, values));
  }
  return new RequirementsSelector(requirements);
}

/** labels.SelectorFromSet: equality on every pair, unvalidated; an empty set is Everything(). */
export function selectorFromSet(set: Record<string, string>): Selector {
  return new RequirementsSelector(Object.entries(set).map(([key, value]) => ({ key, operator: '=' as const, values: [value] })));
}

/** ValidateLabelSelector (values validated as label values, as without AllowInvalidLabelValueInSelector). */
export function validateLabelSelector(ls: LabelSelector | null | undefined, path: string): Diagnostic[] {
  if (ls == null) return [];
  // Shapes are the schema's to report; only well-shaped parts are checked here.
  const diags = ls.matchLabels && typeof ls.matchLabels === 'object' ? validateLabels(ls.matchLabels, joinPath(path, 'matchLabels')) : [];
  (Array.isArray(ls.matchExpressions) ? ls.matchExpressions : []).forEach((expr, i) => {
    if (expr == null || typeof expr !== 'object') return;
    const p = joinPath(joinPath(path, 'matchExpressions'), i);
    const values = Array.isArray(expr.values) ? expr.values : [];
    const valuesPath = joinPath(p, 'values');
    switch (expr.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) diags.push(fieldError('required', valuesPath, undefined, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) diags.push(fieldError('forbidden', valuesPath, undefined, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        diags.push(fieldError('invalid', joinPath(p, 'operator'), String(expr.operator ?? ''), 'not a valid selector operator'));
    }
    const key = typeof expr.key === 'string' ? expr.key : '';
    for (const msg of isQualifiedName(key)) diags.push(fieldError('invalid', joinPath(p, 'key'), key, msg));
    values.forEach((v, j) => {
      if (typeof v !== 'string') return;
      for (const msg of isValidLabelValue(v)) diags.push(fieldError('invalid', joinPath(valuesPath, j), v, msg));
    });
  });
  return diags;
}
