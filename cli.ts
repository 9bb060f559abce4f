#!/usr/bin/env node
// Thin edge: parse argv, call a command, print, exit code. Commands are imported lazily so that
// each invocation loads only what it runs.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pkg from './package.json' with { type: 'json' };
import { EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USER_ERROR } from './commands/exit-codes.ts';
import { processIo, UserError, type Io } from './commands/output.ts';
import { StatusError } from './lib/api/status.ts';
import { KiteError } from './lib/errors.ts';
import type { TargetFlags } from './commands/target.ts';

const HELP = `kite — Kubernetes infrastructure as typed TypeScript

Usage: kite <command> [options]

Authoring:
  synth <program.ts|file.yaml|dir>     write one <stack>.k8s.yaml per stack
      -o, --output DIR                  output directory (default: dist)
      --stdout                          print the YAML instead of writing files
      --stack NAME                      stack name for YAML input (default: file or directory name)
      --no-typecheck                    skip the TypeScript type check of a program (also for validate, plan, apply)
  validate <input>...                  check programs or YAML without writing anything

Plan and apply (against the local runtime, or --kubeconfig PATH / --context NAME):
  plan <program.ts|file.yaml|dir>      what apply would do
      --out FILE                        save the plan; kite apply FILE applies exactly it
      --output json                     the plan as JSON (schema/plan-v1.schema.json)
      --detailed-exitcode               exit 0 no changes, 1 error, 2 changes present
      --stack NAME                      one stack of a program, or the stack name for YAML
  apply <program.ts|file.yaml|dir|plan.json>
      --yes                             no confirmation prompt (pipelines)
      --allow-replace                   allow deleting and recreating objects whose immutable fields change
      --timeout DURATION                bound the whole apply: writes, replaced objects going away, readiness
                                        (default 5m; e.g. 90s, 10m); at the deadline: a summary, exit 1
      --no-wait                         do not wait for readiness
      --force-unlock                    remove a stale lock of the stack first
                                        (Ctrl-C stops an apply with its summary, releases the lock, exit 130)
  destroy <program.ts|file.yaml|dir> | --stack NAME
                                       delete everything the stack applied, in reverse order
      --yes                             no confirmation prompt (pipelines)
      --timeout DURATION                bound the whole destroy (default 5m)
      --force-unlock                    remove a stale lock of the stack first
  demo                                 start the local runtime, apply examples/shop, show it, run until Ctrl-C

Local control plane (state in --state-dir DIR, default .kite; kubeconfig DIR/kubeconfig):
  up [--detach] [--simulate] [--nodes N] [--node-cpu Q] [--node-memory Q] [--port P]
     [--node-grace-period 40s] [--pod-eviction-timeout 5m]
                                       start it (foreground unless --detach); resumes existing state;
                                       a stopped node is NotReady after the grace period and its
                                       pods are evicted after the timeout
  down                                 stop it (state is kept)
  status                               is it running, where, with which nodes
  node stop|start NAME                 stop or restart a node's kubelet

Inspecting (the local runtime, or --kubeconfig PATH / --context NAME):
  get KIND [NAME] [-n NS | -A] [-l SELECTOR] [-o wide|yaml|json|name]
  describe KIND NAME [-n NS]           details and events

Options:
  -h, --help                           show this help
  -v, --version                        print the version

Exit codes: 0 success, 1 a problem in your input or from the cluster (the message says what),
2 an internal error in kite, 130 interrupted (Ctrl-C).
`;

type Flags = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;
type Command = { flags: Flags; run: (pos: string[], v: Values, io: Io) => Promise<number> };

const STATE_DIR: Flags = { 'state-dir': { type: 'string' } };
const TARGET: Flags = { ...STATE_DIR, kubeconfig: { type: 'string' }, context: { type: 'string' } };
const TYPECHECK: Flags = { 'no-typecheck': { type: 'boolean', default: false } };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const load = (v: Values) => ({ stack: str(v.stack), typecheck: !v['no-typecheck'] });

const COMMANDS: Record<string, Command> = {
  synth: {
    flags: { output: { type: 'string', short: 'o', default: 'dist' }, stdout: { type: 'boolean', default: false }, stack: { type: 'string' }, ...TYPECHECK },
    run: async (pos, v, io) => {
      const { synthCommand } = await import('./commands/synth.ts');
      const input = one(pos, 'synth <program.ts|file.yaml|dir>');
      return synthCommand({ input, outdir: v.output as string, stdout: v.stdout as boolean, load: load(v) }, io);
    },
  },
  validate: {
    flags: { stack: { type: 'string' }, ...TYPECHECK },
    run: async (pos, v, io) => {
      if (pos.length === 0) throw new UserError('validate needs at least one input: kite validate <program.ts|file.yaml|dir>...');
      const { validateCommand } = await import('./commands/synth.ts');
      return validateCommand({ inputs: pos, load: load(v) }, io);
    },
  },
  plan: {
    flags: {
      ...TARGET,
      stack: { type: 'string' },
      out: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'detailed-exitcode': { type: 'boolean', default: false },
      'no-color': { type: 'boolean', default: false },
      ...TYPECHECK,
    },
    run: async (pos, v, io) => {
      const { planCommand } = await import('./commands/plan.ts');
      return planCommand(
        {
          input: one(pos, 'plan <program.ts|file.yaml|dir>'),
          ...(str(v.stack) ? { stack: str(v.stack)! } : {}),
          typecheck: !v['no-typecheck'],
          ...(str(v.out) ? { out: str(v.out)! } : {}),
          ...(str(v.output) ? { output: str(v.output)! } : {}),
          detailedExitcode: v['detailed-exitcode'] as boolean,
          color: color(v, process.stdout),
          target: target(v),
        },
        io,
      );
    },
  },
  apply: {
    flags: {
      ...TARGET,
      stack: { type: 'string' },
      yes: { type: 'boolean', short: 'y', default: false },
      'allow-replace': { type: 'boolean', default: false },
      'force-unlock': { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '5m' },
      'no-color': { type: 'boolean', default: false },
      ...TYPECHECK,
    },
    run: async (pos, v, io) => {
      const { applyCommand } = await import('./commands/apply.ts');
      return applyCommand(
        {
          input: one(pos, 'apply <program.ts|file.yaml|dir|plan.json>'),
          ...(str(v.stack) ? { stack: str(v.stack)! } : {}),
          typecheck: !v['no-typecheck'],
          yes: v.yes as boolean,
          allowReplace: v['allow-replace'] as boolean,
          forceUnlock: v['force-unlock'] as boolean,
          wait: !v['no-wait'],
          timeoutMs: duration(v.timeout, '--timeout'),
          color: color(v, process.stderr),
          target: target(v),
        },
        io,
      );
    },
  },
  destroy: {
    flags: {
      ...TARGET,
      stack: { type: 'string' },
      yes: { type: 'boolean', short: 'y', default: false },
      'force-unlock': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '5m' },
      'no-color': { type: 'boolean', default: false },
    },
    run: async (pos, v, io) => {
      if (pos.length > 1 || (pos.length === 0 && !str(v.stack))) throw new UserError('usage: kite destroy <program.ts|file.yaml|dir> | kite destroy --stack NAME');
      const { destroyCommand } = await import('./commands/apply.ts');
      return destroyCommand(
        {
          input: pos[0] ?? '',
          ...(pos.length === 0 ? { stackName: str(v.stack)! } : str(v.stack) ? { stack: str(v.stack)! } : {}),
          yes: v.yes as boolean,
          forceUnlock: v['force-unlock'] as boolean,
          timeoutMs: duration(v.timeout, '--timeout'),
          color: color(v, process.stderr),
          target: target(v),
        },
        io,
      );
    },
  },
  demo: {
    flags: { ...STATE_DIR },
    run: async (pos, v, io) => {
      none(pos, 'demo');
      const { demoCommand } = await import('./commands/demo.ts');
      return demoCommand({ stateDir: str(v['state-dir']) }, io);
    },
  },
  up: {
    flags: {
      ...STATE_DIR,
      detach: { type: 'boolean', short: 'd', default: false },
      simulate: { type: 'boolean', default: false },
      nodes: { type: 'string', default: '3' },
      'node-cpu': { type: 'string' },
      'node-memory': { type: 'string' },
      port: { type: 'string' },
      'node-grace-period': { type: 'string' },
      'pod-eviction-timeout': { type: 'string' },
    },
    run: async (pos, v, io) => {
      none(pos, 'up');
      const { upCommand } = await import('./commands/up.ts');
      const { stateDirOf } = await import('./commands/state-dir.ts');
      return upCommand(
        {
          stateDir: stateDirOf(str(v['state-dir'])),
          detach: v.detach as boolean,
          simulate: v.simulate as boolean,
          nodes: int(v.nodes, '--nodes'),
          ...(str(v['node-cpu']) ? { nodeCpu: str(v['node-cpu'])! } : {}),
          ...(str(v['node-memory']) ? { nodeMemory: str(v['node-memory'])! } : {}),
          ...(str(v.port) ? { port: int(v.port, '--port') } : {}),
          ...(str(v['node-grace-period']) ? { nodeGracePeriodMs: duration(v['node-grace-period'], '--node-grace-period') } : {}),
          ...(str(v['pod-eviction-timeout']) ? { podEvictionTimeoutMs: duration(v['pod-eviction-timeout'], '--pod-eviction-timeout') } : {}),
          daemon: process.env.KITE_DAEMON === '1',
        },
        io,
      );
    },
  },
  down: {
    flags: STATE_DIR,
    run: async (pos, v, io) => {
      none(pos, 'down');
      const { downCommand } = await import('./commands/down.ts');
      const { stateDirOf } = await import('./commands/state-dir.ts');
      return downCommand({ stateDir: stateDirOf(str(v['state-dir'])) }, io);
    },
  },
  status: {
    flags: { ...STATE_DIR, output: { type: 'string', short: 'o' } },
    run: async (pos, v, io) => {
      none(pos, 'status');
      const { statusCommand } = await import('./commands/status.ts');
      return statusCommand({ stateDir: str(v['state-dir']), output: str(v.output) }, io);
    },
  },
  node: {
    flags: TARGET,
    run: async (pos, v, io) => {
      const [action, name] = pos;
      if ((action !== 'stop' && action !== 'start') || !name || pos.length !== 2) throw new UserError('usage: kite node stop|start NAME');
      const { nodeCommand } = await import('./commands/node.ts');
      return nodeCommand({ action, name, target: target(v) }, io);
    },
  },
  get: {
    flags: {
      ...TARGET,
      namespace: { type: 'string', short: 'n' },
      'all-namespaces': { type: 'boolean', short: 'A', default: false },
      selector: { type: 'string', short: 'l' },
      output: { type: 'string', short: 'o' },
    },
    run: async (pos, v, io) => {
      if (pos.length === 0 || pos.length > 2) throw new UserError('usage: kite get KIND [NAME] [-n NS | -A] [-l SELECTOR] [-o wide|yaml|json|name]');
      const { getCommand } = await import('./commands/get.ts');
      return getCommand(
        {
          kind: pos[0]!,
          ...(pos[1] ? { name: pos[1] } : {}),
          ...(str(v.namespace) ? { namespace: str(v.namespace)! } : {}),
          allNamespaces: v['all-namespaces'] as boolean,
          ...(str(v.selector) ? { selector: str(v.selector)! } : {}),
          ...(str(v.output) ? { output: str(v.output)! } : {}),
          target: target(v),
        },
        io,
      );
    },
  },
  describe: {
    flags: { ...TARGET, namespace: { type: 'string', short: 'n' } },
    run: async (pos, v, io) => {
      if (pos.length !== 2) throw new UserError('usage: kite describe KIND NAME [-n NS]');
      const { describeCommand } = await import('./commands/describe.ts');
      return describeCommand({ kind: pos[0]!, name: pos[1]!, ...(str(v.namespace) ? { namespace: str(v.namespace)! } : {}), target: target(v) }, io);
    },
  },
};

function target(v: Values): TargetFlags {
  return {
    ...(str(v['state-dir']) ? { stateDir: str(v['state-dir'])! } : {}),
    ...(str(v.kubeconfig) ? { kubeconfig: str(v.kubeconfig)! } : {}),
    ...(str(v.context) ? { context: str(v.context)! } : {}),
  };
}

function one(pos: string[], usage: string): string {
  if (pos.length !== 1) throw new UserError(`expected exactly one input: kite ${usage}`);
  return pos[0]!;
}

function none(pos: string[], command: string): void {
  if (pos.length > 0) throw new UserError(`kite ${command} takes no arguments (got "${pos.join(' ')}")`);
}

/** Colour only on a terminal, and never with --no-color or NO_COLOR (no-color.org). */
function color(v: Values, stream: NodeJS.WriteStream): boolean {
  return !!stream.isTTY && !v['no-color'] && !process.env.NO_COLOR;
}

/** `90s`, `5m`, `1h30m`, `500ms` or plain seconds, in milliseconds. */
function duration(v: unknown, flag: string): number {
  const s = String(v);
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const rest = s.replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_, n: string, u: string) => {
    total += Number(n) * units[u]!;
    return '';
  });
  if (rest !== '' || total <= 0) throw new UserError(`${flag}: expected a duration such as 90s, 5m or 1h, got "${s}"`);
  return total;
}

function int(v: unknown, flag: string): number {
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new UserError(`${flag}: expected a whole number, got "${String(v)}"`);
  return n;
}

async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.out(HELP);
    return name === undefined ? EXIT_USER_ERROR : EXIT_OK;
  }
  if (name === '-v' || name === '--version' || name === 'version') {
    io.out(`kite ${pkg.version}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) throw new UserError(`unknown command "${name}" (see kite --help)`);
  if (rest.includes('-h') || rest.includes('--help')) {
    io.out(HELP);
    return EXIT_OK;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.flags, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError(`${(e as Error).message.replace(/\. To specify a positional.*$/s, '')} (see kite --help)`);
  }
  return command.run(parsed.positionals, parsed.values as Values, io);
}

/**
 * The one place that tells the user's situation from kite's bug. A KiteError (a bad argument or
 * file, a held lock, a stale plan, an unreachable server) and a StatusError (the API server's
 * refusal: its Status message says what to fix) are the user's; anything else is a bug.
 */
function isUserError(e: unknown): e is Error {
  return e instanceof KiteError || e instanceof StatusError;
}

async function run(): Promise<void> {
  let code: number;
  try {
    code = await main(process.argv.slice(2), processIo);
  } catch (e) {
    if (isUserError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      code = EXIT_USER_ERROR;
    } else {
      process.stderr.write(`internal error (a bug in kite, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
      code = EXIT_INTERNAL_ERROR;
    }
  }
  process.exitCode = code;
}

await run();
