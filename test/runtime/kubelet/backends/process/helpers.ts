/** What the process backend's tests share: a runtime whose nodes run processes, pods of shell programs, and a look at /proc. */
import { readdirSync, readFileSync } from 'node:fs';
import type { Container, Pod, PodSpec } from '../../../../../lib/api/model.ts';
import type { Event } from '../../../../../lib/api/kinds/event.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../../../harness.ts';

/** One node running processes, back-offs in tenths of a second. */
export function startProcessRuntime(o: { backoffInitialMs?: number } = {}): Promise<TestRuntime> {
  return startTestRuntime({ simulate: false, nodes: 1, backoffInitialMs: o.backoffInitialMs ?? 300 });
}

/** A container running `script` with /bin/sh (the built-in `busybox` entry runs the container's own command), `marker` in its env. */
export function shell(name: string, script: string, marker: string, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox', command: ['/bin/sh', '-c', script], env: [{ name: 'KITE_TEST_MARKER', value: marker }], ...extra };
}

export async function createPod(rt: TestRuntime, name: string, spec: Partial<PodSpec> & { containers: Container[] }): Promise<Pod> {
  return rt.runtime.client.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { terminationGracePeriodSeconds: 5, ...spec } });
}

/** Waits until the pod satisfies `check`, returning it. */
export function podWhere(rt: TestRuntime, name: string, check: (p: Pod) => unknown, what: string, timeoutMs = 20_000): Promise<Pod> {
  return eventually(
    () => {
      const p = rt.runtime.client.get('pods', 'default', name);
      return p && check(p) ? p : undefined;
    },
    { timeoutMs, what: `pod ${name}: ${what}` },
  );
}

export function eventsOf(rt: TestRuntime, pod: string): Event[] {
  return rt.runtime.client.list('events', 'default').items.filter((e) => e.involvedObject.name === pod);
}

/** The pids of live processes whose environment carries KITE_TEST_MARKER=`marker`. */
export function markerProcesses(marker: string): number[] {
  const needle = `KITE_TEST_MARKER=${marker}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/** Ends (SIGKILL) every process carrying `marker`: a failing test must not leave any behind. */
export function killMarked(marker: string): void {
  for (const pid of markerProcesses(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
