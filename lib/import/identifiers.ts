/** Words a generated `const` may not be called: reserved words, and the names the program imports. */
const TAKEN = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements',
  'interface', 'package', 'private', 'protected', 'public', 'await', 'async', 'of', 'undefined', 'NaN', 'Infinity',
  'arguments', 'eval', 'stack', 'k8s',
  'Stack', 'Namespace', 'App', 'ExternalDb', 'Pod', 'ReplicaSet', 'ReplicationController', 'Deployment', 'Service',
  'Endpoints', 'ApiObject', 'Object', 'Array', 'String', 'Number', 'Boolean', 'Error', 'JSON', 'Math', 'Promise',
]);

/** `node-js` → `nodeJs`, `my.db` → `myDb`, `9lives` → `_9lives`: a camelCase identifier from a Kubernetes name. */
export function camelCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (id === '') return 'x';
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** Hands out distinct identifiers in the order asked: the second `web` is `web2`. */
export class IdentifierPool {
  private readonly used = new Set<string>(TAKEN);

  take(wanted: string): string {
    const base = camelCase(wanted);
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}${n}`;
    this.used.add(id);
    return id;
  }
}

/** A key as written in an object literal: bare when it is an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quote(key);
}

/** A single-quoted TypeScript string literal. */
export function quote(s: string): string {
  return `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}
