// The OpenAPI v3 documents (issue 10 point 5): one schema per served kind, carrying its GVK, with
// exactly lib/api's zod fields (one source of truth), Kubernetes' words, and the same list merge
// keys as lib/api/paths.ts; the generated description table is what its script generates.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mergeKeyFor } from '../../../../lib/api/paths.ts';
import { modelledKind } from '../../../../lib/api/registry.ts';
import { groupVersions, SERVED } from '../../../../runtime/apiserver/resources.ts';
import { openApiDocument, type OpenApiDocument } from '../../../../runtime/apiserver/openapi/document.ts';
import type { OpenApiSchema } from '../../../../runtime/apiserver/openapi/schemas.ts';
import { generate, K8S_DOCS_PATH } from '../../../../scripts/openapi-docs.ts';

const docs = new Map<string, OpenApiDocument>(groupVersions().map((gv) => [gv.apiVersion, openApiDocument(gv.apiVersion, 'v1.32.4')]));

/** The schema a property holds, through `allOf: [{$ref}]` and `$ref`. */
function resolve(doc: OpenApiDocument, s: OpenApiSchema): OpenApiSchema {
  const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0]!.$ref : undefined);
  if (!ref) return s;
  const target = doc.components.schemas[ref.replace('#/components/schemas/', '')];
  expect(target, `${ref} resolves`).toBeDefined();
  return resolve(doc, target!);
}

/** The zod schema under optional, default and transform wrappers. */
function unwrap(s: z.ZodType): z.ZodType {
  if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) return unwrap(s.unwrap() as z.ZodType);
  if (s instanceof z.ZodPipe) return unwrap(s.in as z.ZodType);
  return s;
}

/** Walks a kind's zod schema and its OpenAPI schema side by side, calling `visit` on each object. */
function walk(doc: OpenApiDocument, zod: z.ZodType, schema: OpenApiSchema, path: string, visit: (path: string, zod: z.ZodObject, schema: OpenApiSchema) => void): void {
  const zs = unwrap(zod);
  const s = resolve(doc, schema);
  if (path.split('.').length > 14) return;
  if (zs instanceof z.ZodObject) {
    visit(path, zs, s);
    for (const [field, fz] of Object.entries(zs.shape)) {
      const prop = s.properties?.[field];
      if (prop) walk(doc, fz as z.ZodType, prop, path ? `${path}.${field}` : field, visit);
    }
  } else if (zs instanceof z.ZodArray) {
    expect(s.type, `${path} is a list`).toBe('array');
    walk(doc, zs.element as z.ZodType, s.items!, `${path}[]`, visit);
  } else if (zs instanceof z.ZodRecord && s.additionalProperties) {
    walk(doc, zs.valueType as z.ZodType, s.additionalProperties, `${path}[*]`, visit);
  }
}

describe('OpenAPI v3 documents', () => {
  it('k8s-docs.json is what scripts/openapi-docs.ts generates from the installed sources', () => {
    expect(readFileSync(K8S_DOCS_PATH, 'utf8')).toBe(`${JSON.stringify(generate(), null, 1)}\n`);
  });

  for (const r of SERVED) {
    describe(`${r.apiVersion} ${r.kind}`, () => {
      const doc = docs.get(r.apiVersion)!;
      const gvk = { group: r.group, version: r.version, kind: r.kind };
      const [name, schema] = Object.entries(doc.components.schemas).find(([, s]) => (s['x-kubernetes-group-version-kind'] as unknown[] | undefined)?.some((g) => JSON.stringify(g) === JSON.stringify(gvk))) ?? [];

      it('has a schema carrying its group, version and kind, and a PATCH operation kubectl validates with', () => {
        expect(name).toBeDefined();
        const patch = Object.values(doc.paths)
          .map((p) => p.patch as Record<string, any> | undefined)
          .find((op) => JSON.stringify(op?.['x-kubernetes-group-version-kind']) === JSON.stringify(gvk));
        expect(patch?.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
        expect(Object.keys(patch?.requestBody.content ?? {})).toContain('application/strategic-merge-patch+json');
      });

      it("has exactly lib/api's zod fields at every level, with Kubernetes' descriptions", () => {
        const zod = modelledKind(r.kind)?.schema;
        if (!zod || !schema) return;
        const seen: string[] = [];
        walk(doc, zod, schema, '', (path, zs, s) => {
          expect(Object.keys(s.properties ?? {}).sort(), `fields of ${path || r.kind}`).toEqual(Object.keys(zs.shape).sort());
          seen.push(path);
        });
        expect(seen.length).toBeGreaterThan(1);
        expect(schema.description).toMatch(/\w/);
        // core/v1 Event's words come from client-node, which drops those of $ref fields (metadata).
        if (r.kind !== 'Event') expect(schema.properties?.metadata?.description).toMatch(/\w/);
      });

      // paths.ts (the plan's diff) leaves some lists Kubernetes keys atomic: status conditions,
      // topologySpreadConstraints, a template's ownerReferences. Where both key a list, they agree.
      it('keys its lists as lib/api/paths.ts does', () => {
        const zod = modelledKind(r.kind)?.schema;
        if (!zod || !schema) return;
        walk(doc, zod, schema, '', (path, zs, s) => {
          for (const field of Object.keys(zs.shape)) {
            const prop = s.properties?.[field];
            if (prop?.type !== 'array') continue;
            const segs = [...(path ? path.replace(/\[\]/g, '.[]').split('.') : []), field].filter((x) => x !== '').map((x) => (x === '[]' ? { id: '', display: '' } : x));
            const fromPaths = mergeKeyFor(r.kind, segs)?.fields;
            const listKeys = prop['x-kubernetes-list-map-keys'] as string[] | undefined;
            if (fromPaths && prop['x-kubernetes-patch-merge-key']) expect(listKeys ?? [prop['x-kubernetes-patch-merge-key']], `${path}.${field}`).toEqual(fromPaths);
          }
        });
      });
    });
  }

  it('shapes the shared types as Kubernetes does', () => {
    const core = docs.get('v1')!.components.schemas;
    const container = core['io.k8s.api.core.v1.Container']!;
    expect(container.required).toEqual(['name']);
    expect(container.properties!.image!.description).toMatch(/^Container image name/);
    expect(container.properties!.ports).toMatchObject({
      type: 'array',
      items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ContainerPort' }] },
      'x-kubernetes-patch-merge-key': 'containerPort',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
    });
    expect(core['io.k8s.api.core.v1.ContainerPort']!.properties!.protocol).toMatchObject({ default: 'TCP', enum: ['TCP', 'UDP', 'SCTP'] });
    expect(core['io.k8s.api.core.v1.PodSpec']!.properties!.volumes).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge,retainKeys' });
    expect(core['io.k8s.api.core.v1.ServicePort']!.properties!.targetPort).toEqual(expect.objectContaining({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }] }));
    expect(core['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string' });
    expect(core['io.k8s.api.core.v1.ResourceRequirements']!.properties!.limits!.additionalProperties).toEqual({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' }] });
    expect(core['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties!.creationTimestamp).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }] });
    expect(core['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toMatchObject({ type: 'string', format: 'date-time' });
    expect(core['io.k8s.api.core.v1.Pod']!.required).toBeUndefined();
  });
});
