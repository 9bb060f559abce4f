// seed: kuard-pod.yaml — one Pod with hostPath + nfs volumes, requests/limits and HTTP probes.
import { Stack, Pod } from 'kite';

const stack = new Stack('kuard-pod');
new Pod(stack, 'kuard', {
  spec: {
    volumes: [
      { name: 'kuard-data', hostPath: { path: '/var/lib/kuard' } },
      { name: 'kuard-remote-data', nfs: { server: 'my.nfs.server.local', path: '/exports' } },
    ],
    containers: [
      {
        image: 'kuard-amd64:blue',
        name: 'kuard',
        volumeMounts: [{ mountPath: '/data', name: 'kuard-data' }],
        resources: {
          requests: { cpu: '500m', memory: '128Mi' }, // minimum
          limits: { cpu: '1000m', memory: '256Mi' }, // maximum
        },
        livenessProbe: {
          httpGet: { path: '/healthy', port: 8080 },
          initialDelaySeconds: 5,
          timeoutSeconds: 1,
          periodSeconds: 10,
          failureThreshold: 3,
        },
        readinessProbe: {
          httpGet: { path: '/ready', port: 8080 },
          initialDelaySeconds: 30,
          timeoutSeconds: 1,
          periodSeconds: 10,
          failureThreshold: 3,
        },
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      },
    ],
  },
});

export default stack;
