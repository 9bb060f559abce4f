// Compile-time checks: each @ts-expect-error line must be a type error, so `tsc` fails if the
// DSL's props ever stop catching these mistakes. Never executed.
import { App, ExternalDb, Namespace, Pod, Service, Stack } from '../../lib/constructs/index.ts';

const stack = new Stack('typed');
const ns = new Namespace(stack, 'ns');
// @ts-expect-error image is required
new App(ns, 'a', { replicas: 1 });
// @ts-expect-error replicas is a number
new App(ns, 'b', { image: 'x', replicas: '3' });
// @ts-expect-error unknown prop
new App(ns, 'c', { image: 'x', replica: 3 });
// @ts-expect-error Service type is an enum
new Service(ns, 'd', { type: 'Loadbalancer', ports: [{ port: 80 }] });
// @ts-expect-error port is a number
new Service(ns, 'e', { ports: [{ port: '80' }] });
// @ts-expect-error ExternalDb needs a host or addresses + port
new ExternalDb(ns, 'f', { port: 5432 });
// @ts-expect-error containers is required
new Pod(ns, 'g', { spec: {} });
// @ts-expect-error restartPolicy is an enum
new Pod(ns, 'h', { spec: { restartPolicy: 'Sometimes', containers: [{ name: 'c', image: 'i' }] } });
new App(ns, 'ok', { image: 'x', replicas: 2, port: 80, resources: { cpu: 0.5, memory: '1Gi' } }).expose({ type: 'NodePort' });
