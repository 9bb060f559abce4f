/**
 * ClusterIP and NodePort allocation. State is derived from the stored Services at start (the
 * store is the only source of truth), then kept in memory; randomness is injected.
 */
import { formatIPv4, parseIPv4 } from '../../lib/api/ipv4.ts';

export class IpAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();

  /** `cidr` like `127.96.0.0/12`; the network address and the first host are never handed out. */
  constructor(
    cidr: string,
    private readonly random: () => number,
  ) {
    const [addr, bits] = cidr.split('/');
    const prefix = Number(bits);
    const base = parseIPv4(addr!);
    if (!Number.isInteger(prefix) || prefix < 8 || prefix > 30 || base === undefined) throw new Error(`invalid service CIDR ${cidr}`);
    this.size = 2 ** (32 - prefix);
    this.base = base - (base % this.size);
  }

  contains(ip: string): boolean {
    const n = parseIPv4(ip);
    return n !== undefined && n >= this.base && n < this.base + this.size;
  }

  /** Marks an address as taken (a Service that exists, or a user-chosen clusterIP). False if taken. */
  reserve(ip: string): boolean {
    const n = parseIPv4(ip);
    if (n === undefined || !this.contains(ip) || this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }

  release(ip: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined) this.used.delete(n);
  }

  /** A free address, starting from a random offset (as the real allocator), or undefined if full. */
  allocate(): string | undefined {
    const usable = this.size - 2;
    const start = Math.floor(this.random() * usable);
    for (let i = 0; i < usable; i++) {
      const n = this.base + 2 + ((start + i) % usable);
      if (!this.used.has(n)) {
        this.used.add(n);
        return formatIPv4(n);
      }
    }
    return undefined;
  }
}

export class PortAllocator {
  private readonly used = new Set<number>();
  constructor(
    readonly min: number,
    readonly max: number,
    private readonly random: () => number,
  ) {}

  reserve(port: number): boolean {
    if (port < this.min || port > this.max || this.used.has(port)) return false;
    this.used.add(port);
    return true;
  }

  release(port: number): void {
    this.used.delete(port);
  }

  allocate(): number | undefined {
    const span = this.max - this.min + 1;
    const start = Math.floor(this.random() * span);
    for (let i = 0; i < span; i++) {
      const p = this.min + ((start + i) % span);
      if (!this.used.has(p)) {
        this.used.add(p);
        return p;
      }
    }
    return undefined;
  }
}
