/**
 * lib/kubectl: what kubectl prints, byte for byte, as a library: the tab writer, `-o json|yaml`,
 * the Table printer of `get`, and `describe` (one describer per kind). It reads clusters through
 * lib/kube only; the CLI's commands parse arguments and write what these functions return.
 */
export { DESCRIBE_TABWRITER, TABLE_TABWRITER, TabBuffer, tabwrite, type TabwriterOptions } from './tabwriter.ts';
export { escapeTerminal } from './escape.ts';
export { goSprint } from './go-sprint.ts';
export { goJson } from './json.ts';
export { goYaml, yamlKeyLess } from './yaml.ts';
export { renderTable, tableLines, type RenderTableOptions } from './table.ts';
export { rfc1123z } from './time.ts';
export { goSort } from './gosort.ts';
export { kindPrefix, refOf, resolveKinds, UnknownResourceError } from './resources.ts';
export { GET_OUTPUTS, kubectlGet, type GetOutput, type GetRequest, type GetResult } from './get.ts';
export { describeByName } from './describe/by-name.ts';
export { DESCRIBERS, describerFor } from './describe/index.ts';
export { describeObject, type Describer, type LookupError } from './describe/describer.ts';
export { podLimits, podRequests, type ResourceList } from './describe/pod-resources.ts';
