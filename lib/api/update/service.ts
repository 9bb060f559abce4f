/**
 * ValidateServiceUpdate (pkg/apis/core/validation): the primary cluster IP and IP family stay as
 * allocated (a secondary may be added or released), and a LoadBalancer keeps its
 * loadBalancerClass. None of this applies to or from ExternalName, which has no cluster IP.
 *
 * The rules see the Service as the registry hands it to validation: values the client left out
 * are the stored ones (patchAllocatedValues), and a changed `clusterIP` carries `clusterIPs`
 * along (normalizeClusterIPs), both in pkg/registry/core/service/storage.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { goStringSlice } from '../go-value.ts';
import { asObj, asStr, asStrList, invalid, type Obj } from '../kinds/fields.ts';

const MAY_NOT_CHANGE = 'may not change once set';

interface IPFields {
  type: string;
  clusterIP: string;
  clusterIPs: string[];
  ipFamilies: string[];
  ipFamilyPolicy: string | undefined;
  loadBalancerClass: string | undefined;
}

function fields(svc: Obj): IPFields {
  const spec = asObj(svc.spec) ?? {};
  return {
    type: asStr(spec.type) ?? 'ClusterIP',
    clusterIP: asStr(spec.clusterIP) ?? '',
    clusterIPs: asStrList(spec.clusterIPs),
    ipFamilies: asStrList(spec.ipFamilies),
    ipFamilyPolicy: asStr(spec.ipFamilyPolicy),
    loadBalancerClass: asStr(spec.loadBalancerClass),
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * What the Service strategy's PrepareForUpdate does to the cluster IPs before validation
 * (pkg/registry/core/service/strategy.go): patchAllocatedValues keeps the allocated `clusterIP`
 * and `clusterIPs` a client left out, then normalizeClusterIPs carries a changed `clusterIP`
 * over to `clusterIPs` (so a changed address is refused as `spec.clusterIPs[0]: … may not
 * change once set`, not as a mismatch of the two fields). Returns a new Service.
 */
export function normalizeServiceUpdate<T extends Obj>(nextSvc: T, oldSvc: Obj): T {
  const old = fields(oldSvc);
  let { type, clusterIP, clusterIPs } = fields(nextSvc);
  // patchAllocatedValues (needsClusterIP: neither is ExternalName)
  if (type !== 'ExternalName' && old.type !== 'ExternalName') {
    if (clusterIP === '') clusterIP = old.clusterIP;
    if (clusterIPs.length === 0) clusterIPs = old.clusterIPs;
  }
  // normalizeClusterIPs
  if (type !== 'ExternalName') {
    if (clusterIPs.length === 0 && clusterIP === old.clusterIP) clusterIPs = old.clusterIPs;
    if (clusterIP !== old.clusterIP && sameList(clusterIPs, old.clusterIPs)) clusterIPs = clusterIP === '' ? [] : [clusterIP];
  }
  const { clusterIP: _ip, clusterIPs: _ips, ...spec } = asObj(nextSvc.spec) ?? {};
  return { ...nextSvc, spec: { ...spec, ...(clusterIP ? { clusterIP } : {}), ...(clusterIPs.length > 0 ? { clusterIPs } : {}) } };
}

/** The ipFamilies an update leaves out are the stored ones. */
function asRegistrySeesIt(next: IPFields, old: IPFields): IPFields {
  if (next.type === 'ExternalName' || old.type === 'ExternalName' || next.ipFamilies.length > 0) return next;
  return { ...next, ipFamilies: old.ipFamilies };
}

/**
 * field.Invalid with a list value, printed as Go's %#v of the internal type validation sees
 * (`[]string{"10.96.0.11"}`, `[]core.IPFamily{"IPv6"}`; an unset list is nil).
 */
function invalidList(out: Diagnostic[], path: string, list: readonly string[], detail: string): void {
  invalid(out, path, goStringSlice(list.length === 0 ? undefined : list, path.startsWith('spec.ipFamilies') ? 'core.IPFamily' : 'string'), detail);
}

const isHeadless = (s: IPFields) => s.clusterIPs.length === 1 && s.clusterIPs[0] === 'None';

export function validateServiceUpdate(out: Diagnostic[], nextSvc: Obj, oldSvc: Obj): void {
  const old = fields(oldSvc);
  const next = asRegistrySeesIt(fields(normalizeServiceUpdate(nextSvc, oldSvc)), old);
  if (next.type !== 'ExternalName' && old.type !== 'ExternalName') {
    clusterIPsUpdate(out, next, old);
    ipFamiliesUpdate(out, next, old);
  }
  if (old.type === 'LoadBalancer' && next.type === 'LoadBalancer' && next.loadBalancerClass !== old.loadBalancerClass) {
    invalid(out, 'spec.loadBalancerClass', next.loadBalancerClass ?? null, MAY_NOT_CHANGE);
  }
}

/** validateUpgradeDowngradeClusterIPs */
function clusterIPsUpdate(out: Diagnostic[], next: IPFields, old: IPFields): void {
  if (isHeadless(old) && isHeadless(next)) return;
  const n = next.clusterIPs;
  const o = old.clusterIPs;
  if (n.length === o.length) {
    o.forEach((ip, i) => {
      if (ip !== n[i]) invalidList(out, `spec.clusterIPs[${i}]`, n, MAY_NOT_CHANGE);
    });
  } else if (o.length > n.length) {
    if (n.length === 0) invalidList(out, 'spec.clusterIPs[0]', n, 'primary clusterIP can not be unset');
    else if (n[0] !== o[0]) invalidList(out, 'spec.clusterIPs[0]', n, MAY_NOT_CHANGE);
    if (n.length === 1 && next.ipFamilyPolicy !== 'SingleStack') {
      invalidList(out, 'spec.clusterIPs[0]', n, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP");
    }
  } else if (o.length > 0 && n[0] !== o[0]) {
    invalidList(out, 'spec.clusterIPs[0]', n, MAY_NOT_CHANGE);
  }
}

/** validateUpgradeDowngradeIPFamilies: headless Services may change families. */
function ipFamiliesUpdate(out: Diagnostic[], next: IPFields, old: IPFields): void {
  if (isHeadless(old) || isHeadless(next)) return;
  const n = next.ipFamilies;
  const o = old.ipFamilies;
  if (n.length === o.length) {
    if (!sameList(n, o)) invalidList(out, 'spec.ipFamilies[0]', n, MAY_NOT_CHANGE);
  } else if (o.length > n.length) {
    if (n.length === 0) invalidList(out, 'spec.ipFamilies[0]', n, 'primary ipFamily can not be unset');
    else if (n[0] !== o[0]) invalidList(out, 'spec.ipFamilies[0]', n, MAY_NOT_CHANGE);
    if (n.length === 1 && next.ipFamilyPolicy !== 'SingleStack') {
      invalidList(out, 'spec.clusterIPs[0]', next.clusterIPs, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary ipFamily");
    }
  } else if (o.length > 0 && n[0] !== o[0]) {
    invalidList(out, 'spec.ipFamilies[0]', n, MAY_NOT_CHANGE);
  }
}

