/**
 * The cluster zone's Service records, kept per informer event: a Service or EndpointSlice that
 * changed marks its Service's record stale, and the next zone rebuilds only the stale records
 * instead of every Service's (a 2,500-Service apply rebuilt ~2,500 records ten times a second).
 *
 * The records keep the Service informer's order (its cache is a Map: a new key goes last, an
 * update keeps its place), and each Service's slices the slice informer's order: the order a
 * ClusterZone built from the informers' lists walks, so both give the same answers, PTR ties
 * included (the first Service with an endpoint address names it).
 */
import type { EndpointSlice, Service } from '../../lib/api/model.ts';
import { keyOf } from '../client/informer.ts';
import { serviceKey, serviceRecord, sliceServiceKey, type ServiceRecord } from './records.ts';

interface Entry {
  svc: Service;
  /** undefined: stale, rebuilt by the next snapshot. */
  record: ServiceRecord | undefined;
}

export class ZoneSource {
  /** By zone key (`<svc>.<ns>`), in the Service informer's order. */
  private readonly entries = new Map<string, Entry>();
  /** A Service's slices by the slice's informer key, by the Service's zone key (slices may come before their Service). */
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  /** Each slice's place in the slice informer's cache order. */
  private readonly sliceOrder = new Map<string, number>();
  private nextSlice = 0;

  serviceAdded(svc: Service): void {
    this.entries.set(serviceKey(svc), { svc, record: undefined });
  }

  serviceUpdated(svc: Service): void {
    const e = this.entries.get(serviceKey(svc));
    if (e) {
      e.svc = svc;
      e.record = undefined;
    } else this.serviceAdded(svc);
  }

  serviceDeleted(svc: Service): void {
    this.entries.delete(serviceKey(svc));
  }

  sliceAdded(s: EndpointSlice): void {
    const k = keyOf(s);
    if (!this.sliceOrder.has(k)) this.sliceOrder.set(k, this.nextSlice++);
    this.place(k, s);
  }

  sliceUpdated(s: EndpointSlice, old: EndpointSlice): void {
    const k = keyOf(s);
    const before = sliceServiceKey(old);
    if (before !== undefined && before !== sliceServiceKey(s)) this.unplace(k, before);
    if (!this.sliceOrder.has(k)) this.sliceOrder.set(k, this.nextSlice++);
    this.place(k, s);
  }

  sliceDeleted(s: EndpointSlice): void {
    const k = keyOf(s);
    this.sliceOrder.delete(k);
    const svc = sliceServiceKey(s);
    if (svc !== undefined) this.unplace(k, svc);
  }

  /** Every Service's record, the stale ones rebuilt: a new Map, for a ClusterZone to own. */
  snapshot(): Map<string, ServiceRecord> {
    const out = new Map<string, ServiceRecord>();
    for (const [key, e] of this.entries) {
      e.record ??= serviceRecord(e.svc, this.slicesOf(key));
      out.set(key, e.record);
    }
    return out;
  }

  private place(sliceKey: string, s: EndpointSlice): void {
    const svc = sliceServiceKey(s);
    if (svc === undefined) return;
    let group = this.slices.get(svc);
    if (!group) this.slices.set(svc, (group = new Map()));
    group.set(sliceKey, s);
    this.stale(svc);
  }

  private unplace(sliceKey: string, svc: string): void {
    const group = this.slices.get(svc);
    if (!group?.delete(sliceKey)) return;
    if (group.size === 0) this.slices.delete(svc);
    this.stale(svc);
  }

  private stale(svc: string): void {
    const e = this.entries.get(svc);
    if (e) e.record = undefined;
  }

  private slicesOf(svc: string): EndpointSlice[] {
    const group = this.slices.get(svc);
    if (!group) return [];
    const list = [...group.values()];
    if (list.length > 1) list.sort((a, b) => this.sliceOrder.get(keyOf(a))! - this.sliceOrder.get(keyOf(b))!);
    return list;
  }
}
