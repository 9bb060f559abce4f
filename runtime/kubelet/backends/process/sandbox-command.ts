/**
 * The argv that starts a container's process in its sandbox. One small POSIX shell script does
 * the work before the program starts: it joins the container's cgroups (`echo $$ >
 * cgroup.procs`), bind-mounts the volumes at their mountPath (read-only ones remounted ro),
 * enters the working directory, then `exec`s the program — so the pid the kubelet spawned is
 * the program's own, its process group is the program's, and signals and exit status need no
 * relaying.
 *
 * With `unshare` the script runs in a new private mount namespace (`unshare --mount` without
 * `--fork`: the namespace needs no new pid, so unshare execs the script in place). With
 * bubblewrap, bwrap's own `--bind` flags make the mounts and the script only joins the cgroups
 * (before bwrap, which may enter a user namespace where cgroup files are not writable).
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { HostFeatures } from './host-features.ts';
import type { SandboxCommand } from './sandbox.ts';

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

// $1.. = <n cgroup files> files... <n binds> (source target rw|ro)... <workdir or ''> argv...
const SCRIPT = `set -e
kite_path_set=\${PATH+x}; kite_path=$PATH
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
n=$1; shift
while [ "$n" -gt 0 ]; do echo $$ > "$1"; shift; n=$((n - 1)); done
n=$1; shift
while [ "$n" -gt 0 ]; do
  if [ -d "$1" ]; then mkdir -p "$2"; else mkdir -p "$(dirname "$2")"; [ -e "$2" ] || : > "$2"; fi
  mount --bind "$1" "$2"
  if [ "$3" = ro ]; then mount -o remount,bind,ro "$2"; fi
  shift 3; n=$((n - 1))
done
if [ -n "$1" ]; then cd "$1"; fi
shift
if [ -n "$kite_path_set" ]; then PATH=$kite_path; else unset PATH; fi
unset kite_path kite_path_set n
exec "$@"`;

const SH = '/bin/sh';

/**
 * A host tool's full path, from the runtime's own PATH: spawn would look it up in the
 * container's env, which need not have a PATH at all.
 */
const hostTools = new Map<string, string>();
function hostTool(name: string): string {
  let path = hostTools.get(name);
  if (path === undefined) {
    const dir = (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, name)));
    path = dir ? join(dir, name) : name;
    hostTools.set(name, path);
  }
  return path;
}

/** Parents before children, so a mount inside another volume's mountPath lands on top of it. */
function ordered(binds: BindMount[]): BindMount[] {
  return [...binds].sort((a, b) => a.target.split('/').length - b.target.split('/').length);
}

function scriptArgs(cgroupProcs: string[], binds: BindMount[], workdir: string | undefined, argv: string[]): string[] {
  return [
    '-c',
    SCRIPT,
    'kite-sandbox',
    String(cgroupProcs.length),
    ...cgroupProcs,
    String(binds.length),
    ...ordered(binds).flatMap((b) => [b.source, b.target, b.readOnly ? 'ro' : 'rw']),
    workdir ?? '',
    ...argv,
  ];
}

function bwrapArgv(binds: BindMount[], workdir: string | undefined, argv: string[]): string[] {
  return [
    hostTool('bwrap'),
    '--dev-bind', '/', '/',
    ...ordered(binds).flatMap((b) => [b.readOnly ? '--ro-bind' : '--bind', b.source, b.target]),
    ...(workdir ? ['--chdir', workdir] : []),
    '--',
    ...argv,
  ];
}

export interface WrapRequest {
  mountNamespace: HostFeatures['mountNamespace'];
  binds: BindMount[];
  cgroupProcs: string[];
  argv: string[];
  env: Record<string, string>;
  /** Where the process starts: inside the namespace when there is one (it may be a mountPath). */
  workdir: string | undefined;
  /** The host directory spawn starts in (the pod's directory). */
  hostCwd: string;
}

export function wrapCommand(r: WrapRequest): SandboxCommand {
  const { argv, env, hostCwd } = r;
  switch (r.mountNamespace) {
    case 'unshare':
      return { file: hostTool('unshare'), args: ['--mount', '--propagation', 'private', SH, ...scriptArgs(r.cgroupProcs, r.binds, r.workdir, argv)], env, cwd: hostCwd };
    case 'bwrap':
      return { file: SH, args: scriptArgs(r.cgroupProcs, [], undefined, bwrapArgv(r.binds, r.workdir, argv)), env, cwd: hostCwd };
    case 'none': {
      const cwd = r.workdir === undefined ? hostCwd : resolve(hostCwd, r.workdir);
      if (r.cgroupProcs.length === 0) return { file: argv[0]!, args: argv.slice(1), env, cwd };
      return { file: SH, args: scriptArgs(r.cgroupProcs, [], undefined, argv), env, cwd };
    }
  }
}
