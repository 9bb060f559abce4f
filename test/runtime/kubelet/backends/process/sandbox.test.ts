/**
 * Processes in the pod's sandbox: the real `unshare` mount namespace (volumes at their
 * mountPath, the pod's /etc/hosts, nothing visible outside), signals and exit status through the
 * wrapper, and the variables used where there is no namespace.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../../../../lib/api/model.ts';
import { detectHostFeatures, type HostFeatures } from '../../../../../runtime/kubelet/backends/process/host-features.ts';
import { preparePodSandbox, removePodSandboxDir, type PodSandbox } from '../../../../../runtime/kubelet/backends/process/sandbox.ts';
import { eventually } from '../../../harness.ts';
import { MapSources, NO_FEATURES, scratchDir, testPod } from './fixtures.ts';
import { spawnSandboxed, type Spawned } from './spawned.ts';

const features = await detectHostFeatures();
const noNamespace = features.mountNamespace !== 'unshare' ? `no usable unshare mount namespace here (${features.mountNamespace})` : '';

let root: ReturnType<typeof scratchDir>;
let host: ReturnType<typeof scratchDir>;
let sources: MapSources;
const running: Spawned[] = [];

beforeEach(() => {
  root = scratchDir('pods');
  host = scratchDir('host');
  sources = new MapSources();
});

afterEach(async () => {
  for (const p of running.splice(0)) p.kill();
  await removePodSandboxDir(root.dir);
  host.remove();
});

async function sandboxFor(pod: Pod, f: HostFeatures = features): Promise<PodSandbox> {
  const r = await preparePodSandbox(root.dir, pod, f, sources, { podIP: '127.200.1.7' });
  if (!r.ok) throw new Error(`${r.volume}: ${r.message}`);
  return r.sandbox;
}

function start(sandbox: PodSandbox, c: Container, script: string, workingDir?: string): Spawned {
  const p = spawnSandboxed(sandbox.command(c, ['sh', '-c', script], { PATH: '/usr/bin:/bin', GREETING: 'hi' }, workingDir));
  running.push(p);
  return p;
}

describe.skipIf(!!noNamespace)('in a private mount namespace (unshare)', () => {
  it('volumes appear at their mountPath, over a directory the host uses, and never outside', async () => {
    // A directory the host already has, with its own file: inside, the volume replaces it.
    const hostData = join(host.dir, 'data');
    mkdirSync(hostData);
    writeFileSync(join(hostData, 'host-only.txt'), 'host');
    sources.putConfigMap('web', { greeting: 'hello' });
    const app: Container = {
      name: 'app',
      image: 'busybox',
      volumeMounts: [
        { name: 'scratch', mountPath: hostData },
        { name: 'cfg', mountPath: join(hostData, 'cfg') },
      ],
    };
    const pod = testPod({ containers: [app], volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'web' } }] });
    const sandbox = await sandboxFor(pod);
    const p = start(sandbox, app, `echo made > ${hostData}/inside.txt; ls ${hostData}; cat ${hostData}/cfg/greeting; echo; cat /etc/hosts; echo "pwd=$(pwd)"; echo waiting; exec sleep 30`);
    await eventually(() => p.output().includes('waiting'), { what: 'the process to report' });
    const out = p.output();
    expect(out).not.toContain('host-only.txt');
    expect(out).toContain('inside.txt');
    expect(out).toContain('hello');
    expect(out).toContain('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n');
    expect(out).toContain(`127.200.1.7\t${pod.metadata.name}\n`);
    expect(out).toContain(`pwd=${sandbox.dir}`);
    // While it runs, the host sees its own directory and /etc/hosts; the file (and the nested
    // mount point) landed in the emptyDir.
    expect(readdirSync(hostData)).toEqual(['host-only.txt']);
    expect(readdirSync(join(sandbox.dir, 'volumes', 'scratch')).sort()).toEqual(['cfg', 'inside.txt']);
    expect(readFileSync('/etc/hosts', 'utf8')).not.toContain('Kubernetes-managed');
    expect(readFileSync(join(sandbox.dir, 'volumes', 'scratch', 'inside.txt'), 'utf8')).toBe('made\n');
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(hostData);
  });

  it('readOnly mounts and configMap volumes refuse writes', async () => {
    const target = join(host.dir, 'ro');
    const app: Container = { name: 'app', image: 'busybox', volumeMounts: [{ name: 'scratch', mountPath: target, readOnly: true }] };
    const sandbox = await sandboxFor(testPod({ containers: [app], volumes: [{ name: 'scratch', emptyDir: {} }] }));
    const p = start(sandbox, app, `touch ${target}/x 2>&1 || echo refused`);
    await p.exited;
    expect(p.output()).toMatch(/Read-only file system[\s\S]*refused/);
  });

  it('a subPath mounts that part of the volume, made if missing', async () => {
    const target = join(host.dir, 'logs');
    const app: Container = { name: 'app', image: 'busybox', volumeMounts: [{ name: 'scratch', mountPath: target, subPath: 'app/logs' }] };
    const sandbox = await sandboxFor(testPod({ containers: [app], volumes: [{ name: 'scratch', emptyDir: {} }] }));
    const p = start(sandbox, app, `echo line > ${target}/out.log`);
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(readFileSync(join(sandbox.dir, 'volumes', 'scratch', 'app', 'logs', 'out.log'), 'utf8')).toBe('line\n');
    expect(existsSync(join(target, 'out.log'))).toBe(false);
  });

  it('a configMap update reaches the running process (the ..data swap)', async () => {
    sources.putConfigMap('web', { greeting: 'hello' });
    const target = join(host.dir, 'cfg');
    const app: Container = { name: 'app', image: 'busybox', volumeMounts: [{ name: 'cfg', mountPath: target }] };
    const sandbox = await sandboxFor(testPod({ containers: [app], volumes: [{ name: 'cfg', configMap: { name: 'web' } }] }));
    // The process reads the file each time it is asked (a line on stdin would do; a signal is simpler).
    const p = start(sandbox, app, `trap "cat ${target}/greeting; echo" USR1; echo ready; while :; do sleep 0.05; done`);
    await eventually(() => p.output().includes('ready'), { what: 'ready' });
    process.kill(p.pid, 'SIGUSR1');
    await eventually(() => p.output().includes('hello'), { what: 'the first contents' });
    sources.putConfigMap('web', { greeting: 'bonjour' });
    await sandbox.refresh(sources);
    process.kill(p.pid, 'SIGUSR1');
    await eventually(() => p.output().includes('bonjour'), { what: 'the updated contents' });
  });

  it('the spawned pid is the program: SIGTERM to the group reaches it and its exit status comes back', async () => {
    const sandbox = await sandboxFor(testPod({}));
    const app: Container = { name: 'app', image: 'busybox' };
    const trapping = start(sandbox, app, 'trap "echo got TERM; exit 7" TERM; echo ready; while :; do sleep 0.05; done');
    await eventually(() => trapping.output().includes('ready'), { what: 'ready' });
    expect(readFileSync(`/proc/${trapping.pid}/cmdline`, 'utf8').split('\0')[0]).toBe('sh');
    process.kill(-trapping.pid, 'SIGTERM');
    expect(await trapping.exited).toEqual({ code: 7, signal: null });
    expect(trapping.output()).toContain('got TERM');

    const plain = start(sandbox, app, 'echo ready; exec sleep 30');
    await eventually(() => plain.output().includes('ready'), { what: 'ready' });
    process.kill(-plain.pid, 'SIGTERM');
    expect(await plain.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('the workingDir may be a mountPath: it is entered once the volumes are mounted', async () => {
    // Mount points are made on the host (empty directories, as for any bind mount): a scratch path, not /.
    const work = join(host.dir, 'not-yet', 'work');
    const app: Container = { name: 'app', image: 'busybox', volumeMounts: [{ name: 'work', mountPath: work }] };
    const sandbox = await sandboxFor(testPod({ containers: [app], volumes: [{ name: 'work', emptyDir: {} }] }));
    writeFileSync(join(sandbox.dir, 'volumes', 'work', 'in-volume'), '');
    const p = start(sandbox, app, 'pwd; ls; echo $GREETING', work);
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.output()).toBe(`${work}\nin-volume\nhi\n`);
  });
});

describe('without a mount namespace', () => {
  it('each mount is named by KITE_MOUNT_<VOLUME>, the pod directory by KITE_POD_DIR, relative paths from it', async () => {
    const app: Container = { name: 'app', image: 'busybox', volumeMounts: [{ name: 'my-data', mountPath: '/data' }] };
    const sandbox = await sandboxFor(testPod({ containers: [app], volumes: [{ name: 'my-data', emptyDir: {} }] }), NO_FEATURES);
    const cmd = sandbox.command(app, ['sh', '-c', 'echo x > "$KITE_MOUNT_MY_DATA/f"; pwd'], { PATH: '/usr/bin:/bin' });
    expect(cmd.file).toBe('sh');
    const p = spawnSandboxed(cmd);
    running.push(p);
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.output()).toBe(`${sandbox.dir}\n`);
    expect(readFileSync(join(sandbox.dir, 'volumes', 'my-data', 'f'), 'utf8')).toBe('x\n');
    expect(cmd.env.KITE_POD_DIR).toBe(sandbox.dir);
    await sandbox.remove();
    expect(existsSync(sandbox.dir)).toBe(false);
  });
});
