/**
 * `/openapi/v2`: a Swagger 2.0 document of the served resources, in JSON. Kubernetes also
 * serves it as protobuf (kubectl asks for `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`);
 * kite does not encode protobuf, so such a request gets 406 and kubectl carries on without it
 * (apply falls back to its compiled-in types; every other use goes through /openapi/v3).
 *
 * The paths carry each operation's group-version-kind; `definitions` is where the kinds' schemas
 * go once they are generated from lib/api (the OpenAPI v3 generator's output, reused).
 */
import { KUBERNETES_VERSION } from './discovery.ts';
import { SERVED } from './resources.ts';

const ACTIONS: Record<string, string> = { get: 'read', put: 'replace', patch: 'patch', delete: 'delete' };

function document(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of SERVED) {
    const base = r.group ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
    const path = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}/{name}` : `${base}/${r.resource}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const item: Record<string, unknown> = {};
    for (const [method, action] of Object.entries(ACTIONS)) {
      item[method] = {
        operationId: `${action}${r.kind}`,
        'x-kubernetes-action': method,
        'x-kubernetes-group-version-kind': gvk,
        responses: { '200': { description: 'OK' } },
      };
    }
    paths[path] = item;
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion }, paths, definitions: {} };
}

let cached: string | undefined;

/** The document as JSON text (built once: the served resources never change in a process). */
export function openApiV2Json(): string {
  return (cached ??= JSON.stringify(document()));
}

/** Whether an Accept header lets us answer JSON (absent, `*`/`*`, `application/*` or `application/json`). */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim().toLowerCase();
    return type === '*/*' || type === 'application/*' || type === 'application/json';
  });
}
