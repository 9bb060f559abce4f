/**
 * ValidateServiceStatusUpdate (k/k pkg/apis/core/validation/validation.go, 1.32): what a write to
 * a Service's status subresource must satisfy — the load balancer ingress
 * (ValidateLoadBalancerStatus) and the conditions, as metav1.Condition requires them
 * (k8s.io/apimachinery/pkg/apis/meta/v1/validation ValidateConditions). The proxy's
 * `kite.dev/PortsBound` condition and the load balancer controller's ingress pass through here.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { isQualifiedName } from '../labels.ts';
import { byteLength, isDNS1123Subdomain, isValidIP } from '../names.ts';
import { asArr, asInt, asObj, asStr, duplicate, forbidden, invalid, invalidEach, notSupported, required, tooLong, type Obj } from '../kinds/fields.ts';

const IP_MODES = ['Proxy', 'VIP'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const REASON_RE = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const REASON_ERR = "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'";
const MAX_REASON_LEN = 1024;
const MAX_MESSAGE_LEN = 32 * 1024;

export function validateServiceStatusUpdate(out: Diagnostic[], next: Obj, _old: Obj): void {
  const status = asObj(next.status) ?? {};
  validateLoadBalancerStatus(out, asObj(status.loadBalancer) ?? {}, 'status.loadBalancer');
  validateConditions(out, asArr(status.conditions), 'status.conditions');
}

/** ValidateLoadBalancerStatus, with the LoadBalancerIPMode gate on (the default since 1.30). */
function validateLoadBalancerStatus(out: Diagnostic[], lb: Obj, path: string): void {
  asArr(lb.ingress).forEach((raw, i) => {
    const ing = asObj(raw) ?? {};
    const at = `${path}.ingress[${i}]`;
    const ip = asStr(ing.ip) ?? '';
    const hostname = asStr(ing.hostname) ?? '';
    const ipMode = asStr(ing.ipMode);
    if (ip) invalidEach(out, `${at}.ip`, ip, isValidIP(ip));
    if (ipMode === undefined) {
      if (ip) required(out, `${at}.ipMode`, 'must be specified when `ip` is set');
    } else if (!ip) forbidden(out, `${at}.ipMode`, 'may not be specified when `ip` is not set');
    else if (!IP_MODES.includes(ipMode)) notSupported(out, `${at}.ipMode`, ipMode, IP_MODES);
    if (hostname) {
      invalidEach(out, `${at}.hostname`, hostname, isDNS1123Subdomain(hostname));
      if (isValidIP(hostname).length === 0) invalid(out, `${at}.hostname`, hostname, 'must be a DNS name, not an IP address');
    }
  });
}

/** ValidateConditions: each condition valid, each type once. */
export function validateConditions(out: Diagnostic[], conditions: readonly unknown[], path: string): void {
  const seen = new Set<string>();
  conditions.forEach((raw, i) => {
    const c = asObj(raw) ?? {};
    const at = `${path}[${i}]`;
    const type = asStr(c.type) ?? '';
    invalidEach(out, `${at}.type`, type, isQualifiedName(type));
    if (seen.has(type)) duplicate(out, `${at}.type`, type);
    seen.add(type);
    const status = asStr(c.status) ?? '';
    if (!CONDITION_STATUSES.includes(status)) notSupported(out, `${at}.status`, status, CONDITION_STATUSES);
    const generation = asInt(c.observedGeneration) ?? 0;
    if (generation < 0) invalid(out, `${at}.observedGeneration`, generation, 'must be greater than or equal to zero');
    if (!asStr(c.lastTransitionTime)) required(out, `${at}.lastTransitionTime`, 'must be set');
    const reason = asStr(c.reason) ?? '';
    if (reason === '') required(out, `${at}.reason`, 'must be set');
    else {
      if (!REASON_RE.test(reason)) invalid(out, `${at}.reason`, reason, REASON_ERR);
      if (byteLength(reason) > MAX_REASON_LEN) tooLong(out, `${at}.reason`, MAX_REASON_LEN);
    }
    if (byteLength(asStr(c.message) ?? '') > MAX_MESSAGE_LEN) tooLong(out, `${at}.message`, MAX_MESSAGE_LEN);
  });
}
