import { openApiDocument } from './runtime/apiserver/openapi/document.ts';
import { ComponentBuilder } from './runtime/apiserver/openapi/schemas.ts';
import { addKind } from './runtime/apiserver/openapi/document.ts';
import { SERVED } from './runtime/apiserver/resources.ts';
import docs from './runtime/apiserver/openapi/k8s-docs.json' with { type: 'json' };
const b = new ComponentBuilder();
for (const r of SERVED) addKind(b, r, [{ group: r.group, version: r.version, kind: r.kind }]);
console.log('conflicts', b.conflicts);
const D = docs.descriptions as Record<string, Record<string,string>>;
for (const [name, s] of Object.entries(b.schemas)) {
  const props = Object.keys(s.properties ?? {});
  const k8s = Object.keys(D[name] ?? {}).filter(k => k !== '');
  const missing = k8s.filter(k => !props.includes(k));
  const extra = props.filter(p => !k8s.includes(p));
  const nodesc = props.filter(p => !s.properties![p]!.description);
  if (!b.sources.has(name)) { if (!s.description) console.log('NO DESC', name); continue; }
  if (missing.length || extra.length || nodesc.length) console.log(name, missing.length ? 'missing: ' + missing.join(',') : '', extra.length ? 'extra: ' + extra.join(',') : '', nodesc.length ? 'nodesc: ' + nodesc.join(','): '');
}
