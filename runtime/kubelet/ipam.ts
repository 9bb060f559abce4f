/**
 * Pod IPs of one node, from its pod CIDR (host-local IPAM, small): the network and the first
 * address (the "gateway") and the broadcast address are never handed out; the lowest free
 * address is.
 */
import { formatIPv4, parseIPv4 } from '../../lib/api/ipv4.ts';

/**
 * The default pod CIDR of the i-th node (1-based): `127.(200 + i / 256).(i % 256).0/24` —
 * loopback addresses, so pods on one host never collide with the service range (127.96/12).
 */
export function defaultPodCIDR(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 55 * 256) throw new Error(`no default pod CIDR for node index ${index}`);
  return `127.${200 + (index >> 8)}.${index & 255}.0/24`;
}

export class PodIPAllocator {
  private readonly first: number;
  private readonly last: number;
  private readonly used = new Map<number, string>();
  private readonly byOwner = new Map<string, number>();

  constructor(readonly cidr: string) {
    const [base, bits] = cidr.split('/');
    const b = parseIPv4(base ?? '');
    const prefix = Number(bits);
    if (b === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid pod CIDR ${cidr}`);
    const size = 2 ** (32 - prefix);
    const network = Math.floor(b / size) * size;
    this.first = network + 2;
    this.last = network + size - 2;
  }

  get free(): number {
    return this.last - this.first + 1 - this.used.size;
  }

  contains(ip: string): boolean {
    const n = parseIPv4(ip);
    return n !== undefined && n >= this.first && n <= this.last;
  }

  /** The owner's address (allocating the lowest free one), or undefined when the range is full. */
  allocate(owner: string): string | undefined {
    const have = this.byOwner.get(owner);
    if (have !== undefined) return formatIPv4(have);
    for (let n = this.first; n <= this.last; n++) {
      if (!this.used.has(n)) {
        this.used.set(n, owner);
        this.byOwner.set(owner, n);
        return formatIPv4(n);
      }
    }
    return undefined;
  }

  /** Records an address already in use (a pod that was running before a restart); false if taken by another owner. */
  reserve(ip: string, owner: string): boolean {
    const n = parseIPv4(ip);
    if (n === undefined || n < this.first || n > this.last) return false;
    const holder = this.used.get(n);
    if (holder !== undefined) return holder === owner;
    const prev = this.byOwner.get(owner);
    if (prev !== undefined) this.used.delete(prev);
    this.used.set(n, owner);
    this.byOwner.set(owner, n);
    return true;
  }

  release(owner: string): void {
    const n = this.byOwner.get(owner);
    if (n === undefined) return;
    this.byOwner.delete(owner);
    this.used.delete(n);
  }

  ipOf(owner: string): string | undefined {
    const n = this.byOwner.get(owner);
    return n === undefined ? undefined : formatIPv4(n);
  }
}
