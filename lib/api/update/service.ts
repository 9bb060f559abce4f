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

/** patchAllocatedValues + normalizeClusterIPs + the ipFamilies an update leaves out. */
function asRegistrySeesIt(next: IPFields, old: IPFields): IPFields {
  const n = { ...next };
  if (n.type === 'ExternalName' || old.type === 'ExternalName') return n;
  if (n.clusterIP === '') n.clusterIP = old.clusterIP;
  if (n.clusterIPs.length === 0) n.clusterIPs = old.clusterIPs;
  if (n.ipFamilies.length === 0) n.ipFamilies = old.ipFamilies;
  if (n.clusterIP !== old.clusterIP && sameList(n.clusterIPs, old.clusterIPs)) n.clusterIPs = n.clusterIP === '' ? [] : [n.clusterIP];
  return n;
}

const isHeadless = (s: IPFields) => s.clusterIPs.length === 1 && s.clusterIPs[0] === 'None';

export function validateServiceUpdate(out: Diagnostic[], nextSvc: Obj, oldSvc: Obj): void {
  const old = fields(oldSvc);
  const next = asRegistrySeesIt(fields(nextSvc), old);
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
      if (ip !== n[i]) invalid(out, `spec.clusterIPs[${i}]`, n, MAY_NOT_CHANGE);
    });
  } else if (o.length > n.length) {
    if (n.length === 0) invalid(out, 'spec.clusterIPs[0]', n, 'primary clusterIP can not be unset');
    else if (n[0] !== o[0]) invalid(out, 'spec.clusterIPs[0]', n, MAY_NOT_CHANGE);
    if (n.length === 1 && next.ipFamilyPolicy !== 'SingleStack') {
      invalid(out, 'spec.clusterIPs[0]', n, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP");
    }
  } else if (o.length > 0 && n[0] !== o[0]) {
    invalid(out, 'spec.clusterIPs[0]', n, MAY_NOT_CHANGE);
  }
}

/** validateUpgradeDowngradeIPFamilies: headless Services may change families. */
function ipFamiliesUpdate(out: Diagnostic[], next: IPFields, old: IPFields): void {
  if (isHeadless(old) || isHeadless(next)) return;
  const n = next.ipFamilies;
  const o = old.ipFamilies;
  // []core.IPFamily, as the error prints its type.
  const families = goStringSlice(n, 'core.IPFamily');
  if (n.length === o.length) {
    if (!sameList(n, o)) invalid(out, 'spec.ipFamilies[0]', families, MAY_NOT_CHANGE);
  } else if (o.length > n.length) {
    if (n.length === 0) invalid(out, 'spec.ipFamilies[0]', families, 'primary ipFamily can not be unset');
    else if (n[0] !== o[0]) invalid(out, 'spec.ipFamilies[0]', families, MAY_NOT_CHANGE);
    if (n.length === 1 && next.ipFamilyPolicy !== 'SingleStack') {
      invalid(out, 'spec.clusterIPs[0]', next.clusterIPs, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary ipFamily");
    }
  } else if (o.length > 0 && n[0] !== o[0]) {
    invalid(out, 'spec.ipFamilies[0]', families, MAY_NOT_CHANGE);
  }
}

