// The public API of `kite`: the DSL first, then the object model and synthesis for tools.
export * from './constructs/index.ts';
export * from './api/model.ts';
export { formatDiagnostic, type Diagnostic } from './api/diagnostics.ts';
export { loadInput, renderStack, toYamlStream, type StackManifests, type Manifest } from './synth/index.ts';
