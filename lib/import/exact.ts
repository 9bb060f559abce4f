import { isDeepStrictEqual } from 'node:util';
import type { Construct, IConstruct } from 'constructs';
import { validateManifest } from '../api/model.ts';
import type { KubeObject } from '../api/meta.ts';
import { Namespace } from '../constructs/namespace.ts';
import { Resource } from '../constructs/resource.ts';
import { Stack } from '../constructs/stack.ts';

/**
 * Whether constructs built by `build` (in a throwaway stack of that name, inside the namespace)
 * synthesize exactly the given objects after normalisation: an idiomatic construct is chosen
 * only when this holds, so an import never changes an object to fit a construct.
 */
export function synthesizesExactly(stackName: string, namespace: string | undefined, expected: readonly KubeObject[], build: (scope: Construct) => void): boolean {
  const stack = new Stack(stackName);
  try {
    build(namespace === undefined ? stack : Namespace.existing(stack, namespace));
  } catch {
    return false;
  }
  const made: KubeObject[] = [];
  for (const c of stack.node.findAll() as IConstruct[]) {
    if (c.node.validate().length > 0) return false;
    if (!Resource.isResource(c)) continue;
    const result = validateManifest(c.toManifest());
    if (!result.object || result.diagnostics.some((d) => d.severity === 'error')) return false;
    made.push(result.object);
  }
  if (made.length !== expected.length) return false;
  return expected.every((e) => made.some((m) => isDeepStrictEqual(m, e)));
}
