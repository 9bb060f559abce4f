/**
 * The OpenAPI v3 document of one served group version, as kube-apiserver publishes it at
 * `/openapi/v3/api/v1` or `/openapi/v3/apis/<group>/<version>`: `paths` with one operation per
 * verb (x-kubernetes-action, x-kubernetes-group-version-kind, the query parameters kubectl looks
 * for: a PATCH with `fieldValidation` makes kubectl validate server-side, its request body's
 * strategic-merge-patch content makes kubectl compute apply patches from these schemas), and
 * `components.schemas` of the served kinds (schemas.ts).
 */
import { GenericObjectSchema } from '../../../lib/api/meta.ts';
import { modelledKind } from '../../../lib/api/registry.ts';
import { schemaForKind } from '../patch/kind-schemas.ts';
import { SERVED, type ResourceDef } from '../resources.ts';
import { ComponentBuilder, refTo, type OpenApiSchema } from './schemas.ts';
import { PATCH, kindSchemaName } from './names.ts';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The component name of a served kind: its preferred version's (an alias group shares its schema). */
function kindComponent(r: ResourceDef): string {
  const preferred = modelledKind(r.kind);
  return preferred ? kindSchemaName(preferred.group, preferred.version, r.kind) : kindSchemaName(r.group, r.version, r.kind);
}

/** Adds a served kind's schema (from its zod schema; unmodelled kinds: TypeMeta and ObjectMeta). */
function addKind(builder: ComponentBuilder, r: ResourceDef, gvks: GroupVersionKind[]): string {
  const zod = modelledKind(r.kind)?.schema ?? GenericObjectSchema;
  return builder.object(kindComponent(r), zod, schemaForKind(r.kind), { 'x-kubernetes-group-version-kind': gvks });
}

const query = (name: string, type = 'string'): Record<string, unknown> => ({ name, in: 'query', schema: { type, uniqueItems: true } });
const WRITE_PARAMS = [query('dryRun'), query('fieldManager'), query('fieldValidation')];
const PATCH_PARAMS = [...WRITE_PARAMS, query('force', 'boolean')];
const LIST_PARAMS = [
  query('allowWatchBookmarks', 'boolean'),
  query('continue'),
  query('fieldSelector'),
  query('labelSelector'),
  query('limit', 'integer'),
  query('resourceVersion'),
  query('resourceVersionMatch'),
  query('sendInitialEvents', 'boolean'),
  query('timeoutSeconds', 'integer'),
  query('watch', 'boolean'),
];
const DELETE_PARAMS = [query('dryRun'), query('gracePeriodSeconds', 'integer'), query('propagationPolicy')];
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const pathParam = (name: string): Record<string, unknown> => ({ name, in: 'path', required: true, schema: { type: 'string', uniqueItems: true } });

/** `CoreV1`, `AppsV1`, `DiscoveryV1`: the middle of Kubernetes' operation ids. */
function operationGroup(group: string, version: string): string {
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return cap(group === '' ? 'core' : group.split('.')[0]!) + cap(version);
}

function resourcePaths(r: ResourceDef, component: string, gvk: GroupVersionKind): Record<string, Record<string, unknown>> {
  const base = r.group ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
  const scope = r.namespaced ? 'Namespaced' : '';
  const id = operationGroup(r.group, r.version);
  const kindRef = { content: { 'application/json': { schema: { $ref: refTo(component) } } } };
  const op = (verb: string, action: string, parameters: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    operationId: `${verb}${id}${extra.suffix === 'ForAllNamespaces' ? '' : scope}${r.kind}${extra.suffix ?? ''}`,
    tags: [id.charAt(0).toLowerCase() + id.slice(1)],
    parameters,
    ...(extra.requestBody ? { requestBody: extra.requestBody } : {}),
    responses: { '200': { description: 'OK', ...(extra.listResponse ? {} : kindRef) }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  const writeBody = { required: true, content: { '*/*': { schema: { $ref: refTo(component) } } } };
  const patchBody = { required: true, content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: { $ref: refTo(PATCH) } }])) };
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}` : `${base}/${r.resource}`;
  const scopeParams = r.namespaced ? [pathParam('namespace')] : [];
  const paths: Record<string, Record<string, unknown>> = {
    [collection]: {
      get: op('list', 'list', LIST_PARAMS, { listResponse: true }),
      post: op('create', 'post', WRITE_PARAMS, { requestBody: writeBody }),
      delete: op('deletecollection', 'deletecollection', [...DELETE_PARAMS, ...LIST_PARAMS], { listResponse: true }),
      parameters: scopeParams,
    },
    [`${collection}/{name}`]: {
      get: op('read', 'get', []),
      put: op('replace', 'put', WRITE_PARAMS, { requestBody: writeBody }),
      patch: op('patch', 'patch', PATCH_PARAMS, { requestBody: patchBody }),
      delete: op('delete', 'delete', DELETE_PARAMS),
      parameters: [pathParam('name'), ...scopeParams],
    },
  };
  if (r.subresources.includes('status')) {
    paths[`${collection}/{name}/status`] = {
      get: op('read', 'get', [], { suffix: 'Status' }),
      put: op('replace', 'put', WRITE_PARAMS, { requestBody: writeBody, suffix: 'Status' }),
      patch: op('patch', 'patch', PATCH_PARAMS, { requestBody: patchBody, suffix: 'Status' }),
      parameters: [pathParam('name'), ...scopeParams],
    };
  }
  if (r.namespaced) paths[`${base}/${r.resource}`] = { get: op('list', 'list', LIST_PARAMS, { listResponse: true, suffix: 'ForAllNamespaces' }) };
  return paths;
}

/** The document of one group version (`v1`, `apps/v1`). */
export function openApiDocument(apiVersion: string, kubernetesVersion: string): OpenApiDocument {
  const builder = new ComponentBuilder();
  const paths: OpenApiDocument['paths'] = {};
  for (const r of SERVED.filter((x) => x.apiVersion === apiVersion)) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const component = addKind(builder, r, [gvk]);
    Object.assign(paths, resourcePaths(r, component, gvk));
  }
  builder.schemas[PATCH] = { type: 'object' };
  const schemas = Object.fromEntries(Object.entries(builder.schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: kubernetesVersion }, paths, components: { schemas } };
}
