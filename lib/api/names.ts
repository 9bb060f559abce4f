// STUB: signatures agreed; implementation in progress (helper A).
/** Each validator returns Kubernetes' own error messages; an empty array means valid. */
export function isDNS1123Subdomain(value: string): string[] { void value; throw new Error('not implemented'); }
export function isDNS1123Label(value: string): string[] { void value; throw new Error('not implemented'); }
export function isDNS1035Label(value: string): string[] { void value; throw new Error('not implemented'); }
