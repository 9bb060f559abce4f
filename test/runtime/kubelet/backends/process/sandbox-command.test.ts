/**
 * The argv of each way to start a sandboxed process. bubblewrap is not installed on the
 * project's machines: its argv is checked here, and it runs only where bwrap is present.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wrapCommand, type WrapRequest } from '../../../../../runtime/kubelet/backends/process/sandbox-command.ts';
import { spawnSandboxed } from './spawned.ts';
import { scratchDir } from './fixtures.ts';

const bwrapInstalled = spawnSync('bwrap', ['--version']).status === 0;

const request = (r: Partial<WrapRequest>): WrapRequest => ({
  mountNamespace: 'none',
  binds: [],
  cgroupProcs: [],
  argv: ['server', '--port', '80'],
  env: { A: '1' },
  workdir: undefined,
  hostCwd: '/state/pods/default_web_uid',
  ...r,
});

describe('wrapCommand', () => {
  it('runs the program itself where there is nothing to set up', () => {
    expect(wrapCommand(request({}))).toEqual({ file: 'server', args: ['--port', '80'], env: { A: '1' }, cwd: '/state/pods/default_web_uid' });
    expect(wrapCommand(request({ workdir: 'app' })).cwd).toBe('/state/pods/default_web_uid/app');
  });

  it('joins the cgroups through the script, then execs the program', () => {
    const cmd = wrapCommand(request({ cgroupProcs: ['/cg/memory/x/cgroup.procs'] }));
    expect(cmd.file).toBe('/bin/sh');
    expect(cmd.args.slice(2)).toEqual(['kite-sandbox', '1', '/cg/memory/x/cgroup.procs', '0', '', 'server', '--port', '80']);
  });

  it('with unshare: binds, parents first, read-only marked, the workdir entered inside', () => {
    const cmd = wrapCommand(
      request({
        mountNamespace: 'unshare',
        binds: [
          { source: '/pod/volumes/cfg', target: '/data/cfg', readOnly: true },
          { source: '/pod/volumes/data', target: '/data', readOnly: false },
        ],
        workdir: '/data',
      }),
    );
    expect(cmd.file).toMatch(/(^|\/)unshare$/);
    expect(cmd.args.slice(0, 5)).toEqual(['--mount', '--propagation', 'private', '/bin/sh', '-c']);
    expect(cmd.args.slice(6)).toEqual(['kite-sandbox', '0', '2', '/pod/volumes/data', '/data', 'rw', '/pod/volumes/cfg', '/data/cfg', 'ro', '/data', 'server', '--port', '80']);
  });

  it('with bubblewrap: its own bind flags, the cgroups joined before it', () => {
    const cmd = wrapCommand(
      request({ mountNamespace: 'bwrap', cgroupProcs: ['/cg/x'], binds: [{ source: '/pod/etc-hosts', target: '/etc/hosts', readOnly: false }, { source: '/v', target: '/v', readOnly: true }], workdir: '/v' }),
    );
    expect(cmd.file).toBe('/bin/sh');
    const after = cmd.args.slice(2);
    expect(after.slice(0, 5)).toEqual(['kite-sandbox', '1', '/cg/x', '0', '']);
    expect(after[5]).toMatch(/(^|\/)bwrap$/);
    expect(after.slice(6)).toEqual(['--dev-bind', '/', '/', '--ro-bind', '/v', '/v', '--bind', '/pod/etc-hosts', '/etc/hosts', '--chdir', '/v', '--', 'server', '--port', '80']);
  });

  it.skipIf(!bwrapInstalled)('with bubblewrap installed: a bound file is seen at its target', async () => {
    const s = scratchDir('bwrap');
    try {
      const p = spawnSandboxed(wrapCommand(request({ mountNamespace: 'bwrap', argv: ['cat', '/etc/hostname'], binds: [{ source: '/etc/hosts', target: '/etc/hostname', readOnly: true }], hostCwd: s.dir, env: { PATH: '/usr/bin:/bin' } })));
      expect(await p.exited).toEqual({ code: 0, signal: null });
      expect(p.output()).toContain('localhost');
    } finally {
      s.remove();
    }
  });
});
