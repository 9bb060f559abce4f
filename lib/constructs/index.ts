export { Stack, type StackProps } from './stack.ts';
export { Namespace, NamespaceRef, type NamespaceProps } from './namespace.ts';
export { Resource, type MetadataProps } from './resource.ts';
export { Deployment, Pod, ReplicaSet, ReplicationController, type DeploymentProps, type Selectable, type PodProps, type ReplicaSetProps, type ReplicationControllerProps } from './workloads.ts';
export { Service, Endpoints, type ServiceProps, type EndpointsProps } from './service.ts';
export { App, type AppProps, type ExposeProps, type HealthCheck } from './app.ts';
export { ExternalDb, type ExternalDbProps } from './external-db.ts';
export { ApiObject, type ApiObjectProps } from './api-object.ts';
