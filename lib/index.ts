// The public API of `kite`. The DSL's classes are exported by name; they take precedence over the
// object model's types of the same name (Pod, Service, ...), which stay reachable as `k8s.Pod`.
export {
  Stack, Namespace, NamespaceRef, Resource, Pod, ReplicaSet, ReplicationController, Deployment, Service, Endpoints,
  App, ExternalDb, ApiObject,
  type StackProps, type NamespaceProps, type MetadataProps, type Selectable, type PodProps,
  type ReplicaSetProps, type ReplicationControllerProps, type DeploymentProps, type ServiceProps, type EndpointsProps,
  type AppProps, type ExposeProps, type HealthCheck, type ExternalDbProps, type ApiObjectProps,
} from './constructs/index.ts';
export * from './api/model.ts';
export * as k8s from './api/model.ts';
export { isDNS1123Subdomain, isDNS1123Label, isDNS1035Label, isIANASvcName, isValidPortNum, isValidIP } from './api/names.ts';
export { isQualifiedName, isValidLabelValue, validateLabels, validateAnnotations } from './api/labels.ts';
export { parseQuantity, Quantity, QuantityError } from './api/quantity.ts';
export { parseSelector, labelSelectorAsSelector, selectorFromSet, validateLabelSelector, SelectorError, type Selector } from './api/selector.ts';
export { type Diagnostic } from './api/diagnostics.ts';
export { addPolicy, policies, type PolicyRule, type PolicySeverity, type PolicyViolation, type StackPolicies, type BestPracticesMode } from './policy/index.ts';
export { formatDiagnostic, formatFieldError } from './api/field-error.ts';
// From the modules themselves, not synth/index.ts: the library then loads no YAML parser (yaml)
// until YAML is read, which a user's program, run in its box, never does.
export { loadInput } from './synth/load-input.ts';
export { renderStack } from './synth/render.ts';
export { toYamlStream } from './synth/emit-yaml.ts';
export type { StackManifests, Manifest } from './synth/manifest.ts';
