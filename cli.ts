#!/usr/bin/env node
// Thin edge: parse argv, call a command, print, exit code. Commands are imported lazily so that
// each invocation loads only what it runs.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pkg from './package.json' with { type: 'json' };
import { EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USER_ERROR } from './commands/exit-codes.ts';
import { processIo, UserError, type Io } from './commands/output.ts';
import type { TargetFlags } from './commands/target.ts';

const HELP = `kite — Kubernetes infrastructure as typed TypeScript

Usage: kite <command> [options]

Authoring:
  synth <program.ts|file.yaml|dir>     write one <stack>.k8s.yaml per stack
      -o, --output DIR                  output directory (default: dist)
      --stdout                          print the YAML instead of writing files
      --stack NAME                      stack name for YAML input (default: file or directory name)
  validate <input>...                  check programs or YAML without writing anything

Local control plane (state in --state-dir DIR, default .kite; kubeconfig DIR/kubeconfig):
  up [--detach] [--simulate] [--nodes N] [--node-cpu Q] [--node-memory Q] [--port P]
                                       start it (foreground unless --detach); resumes existing state
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
2 an internal error in kite.
`;

type Flags = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;
type Command = { flags: Flags; run: (pos: string[], v: Values, io: Io) => Promise<number> };

const STATE_DIR: Flags = { 'state-dir': { type: 'string' } };
const TARGET: Flags = { ...STATE_DIR, kubeconfig: { type: 'string' }, context: { type: 'string' } };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

const COMMANDS: Record<string, Command> = {
  synth: {
    flags: { output: { type: 'string', short: 'o', default: 'dist' }, stdout: { type: 'boolean', default: false }, stack: { type: 'string' } },
    run: async (pos, v, io) => {
      const { synthCommand } = await import('./commands/synth.ts');
      const input = one(pos, 'synth <program.ts|file.yaml|dir>');
      return synthCommand({ input, outdir: v.output as string, stdout: v.stdout as boolean, ...(str(v.stack) ? { stack: str(v.stack)! } : {}) }, io);
    },
  },
  validate: {
    flags: { stack: { type: 'string' } },
    run: async (pos, v, io) => {
      if (pos.length === 0) throw new UserError('validate needs at least one input: kite validate <program.ts|file.yaml|dir>...');
      const { validateCommand } = await import('./commands/synth.ts');
      return validateCommand({ inputs: pos, ...(str(v.stack) ? { stack: str(v.stack)! } : {}) }, io);
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

async function run(): Promise<void> {
  let code: number;
  try {
    code = await main(process.argv.slice(2), processIo);
  } catch (e) {
    if (e instanceof UserError) {
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
