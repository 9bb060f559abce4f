// STUB: signatures agreed; implementation in progress (helper A).
export class Quantity {
  private constructor() {}
  /** Canonical Kubernetes form: `1500m`, `128Mi`, `1e3`, `2`. */
  toString(): string { throw new Error('not implemented'); }
  /** Exact value * 1000, rounded up (Kubernetes MilliValue). */
  milliValue(): bigint { throw new Error('not implemented'); }
  /** Exact value rounded up to an integer (Kubernetes Value). */
  value(): bigint { throw new Error('not implemented'); }
  cmp(other: Quantity): -1 | 0 | 1 { void other; throw new Error('not implemented'); }
  add(other: Quantity): Quantity { void other; throw new Error('not implemented'); }
  isZero(): boolean { throw new Error('not implemented'); }
  sign(): -1 | 0 | 1 { throw new Error('not implemented'); }
}
export class QuantityError extends Error {}
/** Parses `500m`, `1.5`, `128Mi`, `1e3`, ... exactly. Throws QuantityError with Kubernetes' message. */
export function parseQuantity(input: string | number): Quantity { void input; throw new Error('not implemented'); }
