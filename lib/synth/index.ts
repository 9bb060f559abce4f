export { loadInput, type LoadOptions, PROGRAM_EXTENSIONS, MANIFEST_EXTENSIONS } from './load-input.ts';
export { loadProgram } from './load-program.ts';
export { parseYaml, type SourceDocument } from './parse-yaml.ts';
export { toYamlDocument, toYamlStream } from './emit-yaml.ts';
export { renderStack, writeStacks } from './render.ts';
export { synthStack } from './synth-stack.ts';
export { validateManifests } from './validate-manifests.ts';
export { objectId, type Manifest, type Origin, type StackManifests, type LoadResult } from './manifest.ts';
