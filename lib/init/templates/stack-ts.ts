/** `stack.ts`: one Namespace, one App and its Service, with the image the scaffold's catalog maps. */
export function stackTs(stack: string): string {
  return `import { App, Namespace, Stack } from 'kite';

// A stack is what \`kite plan\` and \`kite apply\` work on: its objects are tracked in the cluster,
// so removing one from this file deletes it there.
const stack = new Stack('${stack}');

// Constructs inside a Namespace live in it.
const ns = new Namespace(stack, '${stack}');

// An App is a set of identical pods (a ReplicaSet). On the local control plane the image runs
// ./app/server.mjs as a process (kite.images.yaml maps it); on a real cluster, name a real image.
const web = new App(ns, 'web', {
  image: 'example/hello:1.0',
  replicas: 2,
  port: 8080,
  health: '/healthz', // the readiness and liveness probes
  resources: { cpu: '100m', memory: '64Mi', limits: { memory: '256Mi' } },
  env: { GREETING: 'Hello from kite' },
});

// A Service in front of the App's pods: web.${stack}.svc.cluster.local, port 80.
web.expose({ port: 80 });

export default stack;
`;
}
