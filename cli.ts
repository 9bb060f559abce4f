#!/usr/bin/env node
// Thin edge: parse argv, call a command, print, exit code. Commands are imported lazily so that
// each invocation loads only what it runs.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import pkg from './package.json' with { type: 'json' };
import { EXIT_OK, EXIT_USER_ERROR } from './commands/exit-codes.ts';
import { processIo, UserError, type Io } from './commands/output.ts';
import { reportFailure } from './commands/failure.ts';
import type { TargetFlags } from './commands/target.ts';
import type { BestPracticesMode } from './lib/policy/rule.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

/** A flag: parsed by node:util parseArgs, and documented by its own `help`, so help can never miss one. */
interface Flag {
  type: 'string' | 'boolean';
  short?: string;
  default?: string | boolean;
  /** The value's placeholder in help (`DIR`, `DURATION`). */
  arg?: string;
  /** May be given more than once (a string flag's value is then a list). */
  multiple?: boolean;
  help: string;
}
type Flags = Record<string, Flag>;

type Group = 'Authoring' | 'Plan and apply' | 'Local control plane' | 'Inspecting';
const GROUPS: Record<Group, string> = {
  Authoring: 'Authoring',
  'Plan and apply': 'Plan and apply (against the local runtime, or --kubeconfig PATH / --context NAME)',
  'Local control plane': 'Local control plane (state in --state-dir DIR, default .kite; kubeconfig DIR/kubeconfig)',
  Inspecting: 'Inspecting (the local runtime, or --kubeconfig PATH / --context NAME)',
};

interface Command {
  group: Group;
  usage: string;
  summary: string;
  flags: Flags;
  run: (pos: string[], v: Values, io: Io) => Promise<number>;
}

const STATE_DIR: Flags = { 'state-dir': { type: 'string', arg: 'DIR', help: "the local runtime's state directory (default .kite)" } };
const TARGET: Flags = {
  ...STATE_DIR,
  kubeconfig: { type: 'string', arg: 'PATH', help: 'talk to the cluster of this kubeconfig instead of the local runtime' },
  context: { type: 'string', arg: 'NAME', help: 'the kubeconfig context to use' },
};
const TYPECHECK: Flags = { 'no-typecheck': { type: 'boolean', default: false, help: 'do not type-check a TypeScript program' } };
const PROGRAM_TIMEOUT: Flags = {
  'program-timeout': { type: 'string', arg: 'DURATION', default: '60s', help: 'how long a program may run to build its stacks; then it is stopped, exit 1' },
};
const BEST_PRACTICES: Flags = {
  'best-practices': { type: 'string', arg: 'MODE', help: "kite's best-practice rules: warning (default for YAML), error, or off; over a program's own Stack setting" },
};
const NO_COLOR: Flags = { 'no-color': { type: 'boolean', default: false, help: 'no colour (also when NO_COLOR is set)' } };
const STACK: Flags = { stack: { type: 'string', arg: 'NAME', help: 'one stack of a program, or the stack name for YAML (default: file or directory name)' } };
const TIMEOUT: Flags = { timeout: { type: 'string', arg: 'DURATION', default: '5m', help: 'bound the whole run (writes, replaced objects going away, readiness); then a summary, exit 1' } };
const FORCE_UNLOCK: Flags = { 'force-unlock': { type: 'boolean', default: false, help: 'remove a stale lock of the stack first' } };
const HISTORY_MAX: Flags = { 'history-max': { type: 'string', arg: 'N', default: '10', help: "revisions of the stack kept in the target's history (0: all)" } };
const ADOPT_FROM: Flags = {
  'adopt-from': { type: 'string', arg: 'STACK', multiple: true, help: "move this stack's objects that are members of STACK into it, uids kept (repeatable)" },
};
const adoptFrom = (v: Values) => (Array.isArray(v['adopt-from']) && v['adopt-from'].length > 0 ? { adoptFrom: v['adopt-from'] } : {});
const YES: Flags = { yes: { type: 'boolean', short: 'y', default: false, help: 'no confirmation prompt (pipelines)' } };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** `kite logs` / `kite exec`: which pod's container. */
const IN_POD: Flags = {
  container: { type: 'string', short: 'c', arg: 'NAME', help: "the container (default: the pod's default container, else its first)" },
  namespace: { type: 'string', short: 'n', arg: 'NS', help: 'the namespace (default: default)' },
};
const inPod = (v: Values) => ({ ...(str(v.container) ? { container: str(v.container)! } : {}), ...(str(v.namespace) ? { namespace: str(v.namespace)! } : {}) });
const load = (v: Values) => ({ stack: str(v.stack), typecheck: !v['no-typecheck'], programTimeoutMs: duration(v['program-timeout'], '--program-timeout'), bestPractices: bestPractices(v) });
const bestPractices = (v: Values): BestPracticesMode | undefined => {
  const mode = str(v['best-practices']);
  if (mode === undefined || mode === 'warning' || mode === 'error' || mode === 'off') return mode;
  throw new UserError(`--best-practices must be warning, error or off, not "${mode}"`);
};

const COMMANDS: Record<string, Command> = {
  synth: {
    group: 'Authoring',
    usage: 'synth <program.ts|file.yaml|dir>',
    summary: 'write one <stack>.k8s.yaml per stack',
    flags: {
      output: { type: 'string', short: 'o', arg: 'DIR', default: 'dist', help: 'output directory' },
      stdout: { type: 'boolean', default: false, help: 'print the YAML instead of writing files' },
      ...STACK,
      ...TYPECHECK,
      ...PROGRAM_TIMEOUT,
      ...BEST_PRACTICES,
    },
    run: async (pos, v, io) => {
      const { synthCommand } = await import('./commands/synth.ts');
      const input = one(pos, 'synth <program.ts|file.yaml|dir>');
      return synthCommand({ input, outdir: v.output as string, stdout: v.stdout as boolean, load: load(v) }, io);
    },
  },
  validate: {
    group: 'Authoring',
    usage: 'validate <input>...',
    summary: 'check programs or YAML without writing anything',
    flags: { ...STACK, ...TYPECHECK, ...PROGRAM_TIMEOUT, ...BEST_PRACTICES },
    run: async (pos, v, io) => {
      if (pos.length === 0) throw new UserError('validate needs at least one input: kite validate <program.ts|file.yaml|dir>...');
      const { validateCommand } = await import('./commands/synth.ts');
      return validateCommand({ inputs: pos, load: load(v) }, io);
    },
  },
  init: {
    group: 'Authoring',
    usage: 'init [DIR]',
    summary: 'scaffold a new infrastructure repo in DIR (default .): stack.ts, package.json, README',
    flags: {
      name: { type: 'string', arg: 'NAME', help: "the package name (default: DIR's name)" },
      kite: { type: 'string', arg: 'SPEC', help: "kite's dependency spec (default: ^this version, or file:this checkout)" },
      force: { type: 'boolean', default: false, help: 'overwrite files the scaffold writes' },
    },
    run: async (pos, v, io) => {
      if (pos.length > 1) throw new UserError('usage: kite init [DIR] [--name NAME] [--kite SPEC] [--force]');
      const { initCommand } = await import('./commands/init.ts');
      return initCommand({ dir: pos[0] ?? '.', ...(str(v.name) !== undefined ? { name: str(v.name)! } : {}), ...(str(v.kite) !== undefined ? { kite: str(v.kite)! } : {}), force: v.force as boolean }, io);
      },
    },
  import: {
    group: 'Authoring',
    usage: 'import <file.yaml|dir|-> | --from-cluster -n NS',
    summary: 'turn manifests (or a namespace of a cluster) into a kite program',
    flags: {
      out: { type: 'string', short: 'o', arg: 'FILE', help: 'write the program to FILE (default: print it)' },
      force: { type: 'boolean', default: false, help: 'overwrite --out if it exists' },
      stack: { type: 'string', arg: 'NAME', help: 'the stack name (default: the file or directory name, as kite plan names YAML)' },
      'from-cluster': { type: 'boolean', default: false, help: 'read the objects of a namespace from the cluster instead of files' },
      namespace: { type: 'string', short: 'n', arg: 'NS', help: 'with --from-cluster: the namespace to import' },
      selector: { type: 'string', short: 'l', arg: 'SELECTOR', help: 'with --from-cluster: only objects with these labels' },
      ...TARGET,
    },
    run: async (pos, v, io) => {
      const { importCommand } = await import('./commands/import.ts');
      const fromCluster = v['from-cluster'] === true;
      if (fromCluster && pos.length > 0) throw new UserError('kite import --from-cluster takes no input file');
      if (fromCluster && !str(v.namespace)) throw new UserError('kite import --from-cluster needs the namespace: -n NS');
      if (!fromCluster && (str(v.namespace) || str(v.selector))) throw new UserError('-n/--namespace and -l/--selector go with --from-cluster');
      const input = fromCluster ? undefined : one(pos, 'import <file.yaml|dir|->');
      return importCommand(
        {
          input,
          out: str(v.out),
          force: v.force === true,
          stack: str(v.stack),
          fromCluster: fromCluster ? { namespace: str(v.namespace)!, selector: str(v.selector), target: target(v) } : undefined,
        },
        io,
      );
    },
  },
  plan: {
    group: 'Plan and apply',
    usage: 'plan <program.ts|file.yaml|dir>',
    summary: 'what apply would do',
    flags: {
      out: { type: 'string', arg: 'FILE', help: 'save the plan; kite apply FILE applies exactly it' },
      output: { type: 'string', short: 'o', arg: 'json', help: 'the plan as JSON (schema/plan-v1.schema.json)' },
      'detailed-exitcode': { type: 'boolean', default: false, help: 'exit 0 no changes, 1 error, 2 changes present' },
      'no-roll': { type: 'boolean', default: false, help: 'do not count pods a ReplicaSet/RC rollout would replace' },
      ...ADOPT_FROM,
      ...STACK,
      ...TYPECHECK,
      ...PROGRAM_TIMEOUT,
      ...BEST_PRACTICES,
      ...NO_COLOR,
      ...TARGET,
    },
    run: async (pos, v, io) => {
      const { planCommand } = await import('./commands/plan.ts');
      return planCommand(
        {
          input: one(pos, 'plan <program.ts|file.yaml|dir>'),
          ...(str(v.stack) ? { stack: str(v.stack)! } : {}),
          typecheck: !v['no-typecheck'],
          programTimeoutMs: duration(v['program-timeout'], '--program-timeout'),
          ...(bestPractices(v) ? { bestPractices: bestPractices(v)! } : {}),
          ...(str(v.out) ? { out: str(v.out)! } : {}),
          ...(str(v.output) ? { output: str(v.output)! } : {}),
          detailedExitcode: v['detailed-exitcode'] as boolean,
          noRoll: v['no-roll'] as boolean,
          ...adoptFrom(v),
          color: color(v, process.stdout),
          target: target(v),
        },
        io,
      );
    },
  },
  apply: {
    group: 'Plan and apply',
    usage: 'apply <program.ts|file.yaml|dir|plan.json>',
    summary: 'plan (or read a saved plan), confirm, apply in order, wait until ready; Ctrl-C stops it with a summary (exit 130)',
    flags: {
      ...YES,
      'allow-replace': { type: 'boolean', default: false, help: 'allow deleting and recreating objects whose immutable fields change' },
      ...TIMEOUT,
      'no-wait': { type: 'boolean', default: false, help: 'do not wait for readiness' },
      'no-roll': { type: 'boolean', default: false, help: 'write ReplicaSets/RCs without replacing pods that run the old template' },
      ...ADOPT_FROM,
      ...FORCE_UNLOCK,
      ...HISTORY_MAX,
      ...STACK,
      ...TYPECHECK,
      ...PROGRAM_TIMEOUT,
      ...BEST_PRACTICES,
      ...NO_COLOR,
      ...TARGET,
    },
    run: async (pos, v, io) => {
      const { applyCommand } = await import('./commands/apply.ts');
      return applyCommand(
        {
          input: one(pos, 'apply <program.ts|file.yaml|dir|plan.json>'),
          ...(str(v.stack) ? { stack: str(v.stack)! } : {}),
          typecheck: !v['no-typecheck'],
          programTimeoutMs: duration(v['program-timeout'], '--program-timeout'),
          ...(bestPractices(v) ? { bestPractices: bestPractices(v)! } : {}),
          yes: v.yes as boolean,
          allowReplace: v['allow-replace'] as boolean,
          forceUnlock: v['force-unlock'] as boolean,
          wait: !v['no-wait'],
          noRoll: v['no-roll'] as boolean,
          ...adoptFrom(v),
          timeoutMs: duration(v.timeout, '--timeout'),
          color: color(v, process.stderr),
          target: target(v),
          history: { max: int(v['history-max'], '--history-max') },
        },
        io,
      );
    },
  },
  destroy: {
    group: 'Plan and apply',
    usage: 'destroy <program.ts|file.yaml|dir> | --stack NAME',
    summary: 'delete everything the stack applied, in reverse order, then its inventory',
    flags: { ...YES, ...TIMEOUT, ...FORCE_UNLOCK, ...STACK, ...NO_COLOR, ...TARGET },
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
  history: {
    group: 'Plan and apply',
    usage: 'history STACK',
    summary: "the stack's revisions on the target: who applied what, when; --revision N shows one",
    flags: {
      revision: { type: 'string', arg: 'N', help: 'show this revision: its summary and manifests' },
      output: { type: 'string', short: 'o', arg: 'json', help: 'as JSON (pipelines)' },
      ...TARGET,
    },
    run: async (pos, v, io) => {
      const { historyCommand } = await import('./commands/history.ts');
      return historyCommand(
        {
          stack: one(pos, 'history STACK'),
          ...(str(v.revision) !== undefined ? { revision: int(v.revision, '--revision') } : {}),
          ...(str(v.output) ? { output: str(v.output)! } : {}),
          target: target(v),
        },
        io,
      );
    },
  },
  rollback: {
    group: 'Plan and apply',
    usage: 'rollback STACK [--to N]',
    summary: 'plan a previous revision of the stack against the live state, confirm, apply it (no program needed)',
    flags: {
      to: { type: 'string', arg: 'N', help: 'the revision to go back to (default: the last deployed one before the current)' },
      out: { type: 'string', arg: 'FILE', help: 'only plan the rollback and save it; kite apply FILE applies exactly it' },
      'detailed-exitcode': { type: 'boolean', default: false, help: 'with --out: exit 0 no changes, 1 error, 2 changes present' },
      ...YES,
      'allow-replace': { type: 'boolean', default: false, help: 'allow deleting and recreating objects whose immutable fields change' },
      ...TIMEOUT,
      'no-wait': { type: 'boolean', default: false, help: 'do not wait for readiness' },
      ...FORCE_UNLOCK,
      ...HISTORY_MAX,
      ...NO_COLOR,
      ...TARGET,
    },
    run: async (pos, v, io) => {
      const { rollbackCommand } = await import('./commands/rollback.ts');
      return rollbackCommand(
        {
          stack: one(pos, 'rollback STACK [--to N]'),
          ...(str(v.to) !== undefined ? { to: int(v.to, '--to') } : {}),
          ...(str(v.out) ? { out: str(v.out)! } : {}),
          detailedExitcode: v['detailed-exitcode'] as boolean,
          yes: v.yes as boolean,
          allowReplace: v['allow-replace'] as boolean,
          forceUnlock: v['force-unlock'] as boolean,
          wait: !v['no-wait'],
          timeoutMs: duration(v.timeout, '--timeout'),
          historyMax: int(v['history-max'], '--history-max'),
          color: color(v, process.stderr),
          target: target(v),
        },
        io,
      );
    },
  },
  demo: {
    group: 'Plan and apply',
    usage: 'demo',
    summary: 'start the local runtime, apply examples/shop, show it, run until Ctrl-C',
    flags: { ...STATE_DIR },
    run: async (pos, v, io) => {
      none(pos, 'demo');
      const { demoCommand } = await import('./commands/demo.ts');
      return demoCommand({ stateDir: str(v['state-dir']) }, io);
    },
  },
  up: {
    group: 'Local control plane',
    usage: 'up',
    summary: 'start it (foreground unless --detach); resumes existing state',
    flags: {
      detach: { type: 'boolean', short: 'd', default: false, help: 'return once the API is ready; log to DIR/runtime.log' },
      simulate: { type: 'boolean', default: false, help: 'nodes run pods without processes (as KWOK)' },
      images: { type: 'string', arg: 'FILE', help: 'the image catalog (default: kite.images.yaml, looked for from here upwards)' },
      nodes: { type: 'string', arg: 'N', default: '3', help: 'how many nodes' },
      'node-cpu': { type: 'string', arg: 'Q', help: "each node's CPU capacity (default: the host's)" },
      'node-memory': { type: 'string', arg: 'Q', help: "each node's memory capacity (default: the host's)" },
      port: { type: 'string', arg: 'P', help: 'the API server port (default: the last one, else any free port)' },
      'node-grace-period': { type: 'string', arg: 'DURATION', help: 'a node that stops heartbeating is NotReady after this (default 40s)' },
      'pod-eviction-timeout': { type: 'string', arg: 'DURATION', help: "a NotReady node's pods are evicted after this (default 5m)" },
      'event-ttl': { type: 'string', arg: 'DURATION', help: 'Events are deleted this long after their last update (default 1h)' },
      'cluster-domain': { type: 'string', arg: 'DOMAIN', help: "cluster DNS domain: Services are <svc>.<ns>.svc.DOMAIN (default cluster.local)" },
      'proxy-mode': { type: 'string', arg: 'MODE', help: 'how Service traffic is forwarded: userspace (default) or nftables (kernel DNAT rules; root and nft needed, else userspace)' },
      ...STATE_DIR,
    },
    run: async (pos, v, io) => {
      none(pos, 'up');
      const proxyMode = str(v['proxy-mode']);
      if (proxyMode !== undefined && proxyMode !== 'userspace' && proxyMode !== 'nftables') throw new UserError(`--proxy-mode: expected userspace or nftables, got "${proxyMode}"`);
      const { upCommand } = await import('./commands/up.ts');
      const { stateDirOf } = await import('./commands/state-dir.ts');
      return upCommand(
        {
          stateDir: stateDirOf(str(v['state-dir'])),
          detach: v.detach as boolean,
          simulate: v.simulate as boolean,
          ...(str(v.images) ? { images: resolve(str(v.images)!) } : {}),
          nodes: int(v.nodes, '--nodes'),
          ...(str(v['node-cpu']) ? { nodeCpu: str(v['node-cpu'])! } : {}),
          ...(str(v['node-memory']) ? { nodeMemory: str(v['node-memory'])! } : {}),
          ...(str(v.port) ? { port: int(v.port, '--port') } : {}),
          ...(str(v['node-grace-period']) ? { nodeGracePeriodMs: duration(v['node-grace-period'], '--node-grace-period') } : {}),
          ...(str(v['pod-eviction-timeout']) ? { podEvictionTimeoutMs: duration(v['pod-eviction-timeout'], '--pod-eviction-timeout') } : {}),
          ...(str(v['event-ttl']) ? { eventTtlMs: duration(v['event-ttl'], '--event-ttl') } : {}),
          ...(str(v['cluster-domain']) ? { clusterDomain: str(v['cluster-domain'])! } : {}),
          ...(proxyMode ? { proxyMode } : {}),
          daemon: process.env.KITE_DAEMON === '1',
        },
        io,
      );
    },
  },
  down: {
    group: 'Local control plane',
    usage: 'down',
    summary: 'stop it (the state is kept)',
    flags: STATE_DIR,
    run: async (pos, v, io) => {
      none(pos, 'down');
      const { downCommand } = await import('./commands/down.ts');
      const { stateDirOf } = await import('./commands/state-dir.ts');
      return downCommand({ stateDir: stateDirOf(str(v['state-dir'])) }, io);
    },
  },
  status: {
    group: 'Local control plane',
    usage: 'status',
    summary: 'is it running (exit 1 if not), where, with which nodes',
    flags: { output: { type: 'string', short: 'o', arg: 'json', help: 'as JSON' }, ...STATE_DIR },
    run: async (pos, v, io) => {
      none(pos, 'status');
      const { statusCommand } = await import('./commands/status.ts');
      return statusCommand({ stateDir: str(v['state-dir']), output: str(v.output) }, io);
    },
  },
  node: {
    group: 'Local control plane',
    usage: 'node stop|start NAME',
    summary: "stop or restart a node's kubelet",
    flags: TARGET,
    run: async (pos, v, io) => {
      const [action, name] = pos;
      if ((action !== 'stop' && action !== 'start') || !name || pos.length !== 2) throw new UserError('usage: kite node stop|start NAME');
      const { nodeCommand } = await import('./commands/node.ts');
      return nodeCommand({ action, name, target: target(v) }, io);
    },
  },
  get: {
    group: 'Inspecting',
    usage: 'get KIND [NAME]',
    summary: "list or show objects, in kubectl's columns",
    flags: {
      namespace: { type: 'string', short: 'n', arg: 'NS', help: 'the namespace (default: default)' },
      'all-namespaces': { type: 'boolean', short: 'A', default: false, help: 'every namespace' },
      selector: { type: 'string', short: 'l', arg: 'SELECTOR', help: 'a label selector' },
      output: { type: 'string', short: 'o', arg: 'wide|yaml|json|name', help: 'the output format' },
      ...TARGET,
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
    group: 'Inspecting',
    usage: 'describe KIND NAME',
    summary: "kubectl's describe: details and events",
    flags: { namespace: { type: 'string', short: 'n', arg: 'NS', help: 'the namespace (default: default)' }, ...TARGET },
    run: async (pos, v, io) => {
      if (pos.length !== 2) throw new UserError('usage: kite describe KIND NAME [-n NS]');
      const { describeCommand } = await import('./commands/describe.ts');
      return describeCommand({ kind: pos[0]!, name: pos[1]!, ...(str(v.namespace) ? { namespace: str(v.namespace)! } : {}), target: target(v) }, io);
    },
  },
  logs: {
    group: 'Inspecting',
    usage: 'logs POD | -l SELECTOR',
    summary: "a container's output (kubectl logs); with -l each matching pod's, lines prefixed [pod/NAME/CONTAINER]",
    flags: {
      follow: { type: 'boolean', short: 'f', default: false, help: 'keep streaming new output until the container ends or Ctrl-C' },
      previous: { type: 'boolean', short: 'p', default: false, help: "the container's previous run (after a restart)" },
      tail: { type: 'string', arg: 'N', help: 'only the last N lines (default: all; 10 with -l)' },
      since: { type: 'string', arg: 'DURATION', help: 'only lines newer than this, e.g. 10s, 5m, 1h' },
      timestamps: { type: 'boolean', default: false, help: 'each line starts with its RFC 3339 timestamp' },
      selector: { type: 'string', short: 'l', arg: 'SELECTOR', help: 'every pod matching this label selector instead of one POD' },
      ...IN_POD,
      ...TARGET,
    },
    run: async (pos, v, io) => {
      const selector = str(v.selector);
      if (selector !== undefined ? pos.length !== 0 : pos.length !== 1) throw new UserError('usage: kite logs POD [-c CONTAINER] | kite logs -l SELECTOR [-c CONTAINER]');
      const { logsCommand } = await import('./commands/logs.ts');
      return logsCommand(
        {
          ...(pos[0] !== undefined ? { pod: pos[0] } : {}),
          ...(selector !== undefined ? { selector } : {}),
          ...inPod(v),
          follow: v.follow as boolean,
          previous: v.previous as boolean,
          timestamps: v.timestamps as boolean,
          ...(str(v.tail) !== undefined ? { tailLines: int(v.tail, '--tail') } : {}),
          // kubectl rounds --since up to whole seconds
          ...(str(v.since) !== undefined ? { sinceSeconds: Math.ceil(duration(v.since, '--since') / 1000) } : {}),
          target: target(v),
        },
        io,
      );
    },
  },
  exec: {
    group: 'Inspecting',
    usage: 'exec POD -- COMMAND [ARG...]',
    summary: "run a command in a pod's container (kubectl exec); its exit code becomes kite's",
    flags: {
      stdin: { type: 'boolean', short: 'i', default: false, help: "pass kite's stdin to the command" },
      tty: { type: 'boolean', short: 't', default: false, help: 'run the command in a terminal (with -i: an interactive shell)' },
      ...IN_POD,
      ...TARGET,
    },
    run: async (pos, v, io) => {
      const [pod, ...command] = pos;
      if (!pod || command.length === 0) throw new UserError('usage: kite exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [ARG...]');
      const { execCommand } = await import('./commands/exec.ts');
      return execCommand(
        {
          pod,
          command,
          ...inPod(v),
          stdin: v.stdin as boolean,
          tty: v.tty as boolean,
          target: target(v),
        },
        io,
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
      );
    },
  },
  'port-forward': {
    group: 'Inspecting',
    usage: 'port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT...',
    summary: 'forward local ports to a pod, or to a pod of a service or workload (kubectl port-forward)',
    flags: {
      address: { type: 'string', arg: 'ADDR', default: '127.0.0.1', help: 'local addresses to listen on, comma-separated (localhost = 127.0.0.1 and ::1)' },
      namespace: IN_POD.namespace!,
      'pod-running-timeout': { type: 'string', arg: 'DURATION', default: '1m', help: 'how long to wait for a pod of a service or workload to exist' },
      ...TARGET,
    },
    run: async (pos, v, io) => {
      const [resource, ...ports] = pos;
      if (!resource || ports.length === 0) throw new UserError('TYPE/NAME and list of ports are required for port-forward');
      const { portForwardCommand } = await import('./commands/port-forward.ts');
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        return await portForwardCommand(
          {
            resource,
            ports,
            ...(str(v.namespace) ? { namespace: str(v.namespace)! } : {}),
            addresses: (str(v.address) ?? '127.0.0.1').split(',').map((a) => a.trim()),
            podRunningTimeoutMs: duration(v['pod-running-timeout'], '--pod-running-timeout'),
            target: target(v),
            stop: stop.signal,
          },
          io,
        );
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  },
};

function parseOptions(flags: Flags): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [name, { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}), ...(f.default !== undefined ? { default: f.default } : {}) }]),
  );
}

const HELP_FLAG: Flags = { help: { type: 'boolean', short: 'h', help: 'show this help' } };

/** `-o, --output DIR     output directory (default: dist)`, aligned. */
function flagLines(flags: Flags): string {
  const rows = Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.arg ? ` ${f.arg}` : ''}`;
    const dflt = typeof f.default === 'string' ? ` (default: ${f.default})` : '';
    return [left, `${f.help}${dflt}`] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 3;
  return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}\n`).join('');
}

/** `kite COMMAND --help`: its usage and every flag it accepts. */
function commandHelp(c: Command): string {
  const summary = c.summary.charAt(0).toUpperCase() + c.summary.slice(1);
  return `Usage: kite ${c.usage} [options]\n\n${summary}.\n\nOptions:\n${flagLines({ ...c.flags, ...HELP_FLAG })}`;
}

/** `kite --help`: the commands by group. */
function overview(): string {
  const width = 37;
  let out = 'kite — Kubernetes infrastructure as typed TypeScript\n\nUsage: kite <command> [options]\n';
  for (const [group, title] of Object.entries(GROUPS)) {
    out += `\n${title}:\n`;
    for (const c of Object.values(COMMANDS)) {
      if (c.group !== group) continue;
      out += c.usage.length < width - 1 ? `  ${c.usage.padEnd(width)}${c.summary}\n` : `  ${c.usage}\n  ${''.padEnd(width)}${c.summary}\n`;
    }
  }
  out += `\nkite <command> --help lists a command's options.\n\nOptions:\n  -h, --help     show this help\n  -v, --version  print the version\n`;
  out += '\nExit codes: 0 success, 1 a problem in your input or from the cluster (the message says what),\n2 an internal error in kite, 130 interrupted (Ctrl-C).\n';
  return out;
}

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
    io.out(overview());
    return name === undefined ? EXIT_USER_ERROR : EXIT_OK;
  }
  if (name === '-v' || name === '--version' || name === 'version') {
    io.out(`kite ${pkg.version}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) throw new UserError(`unknown command "${name}" (see kite --help)`);
  // After `--` everything is the command's (kite exec POD -- ls --help).
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('-h') || own.includes('--help')) {
    io.out(commandHelp(command));
    return EXIT_OK;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: parseOptions(command.flags), allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError(`${(e as Error).message.replace(/\. To specify a positional.*$/s, '')} (see kite ${name} --help)`);
  }
  return command.run(parsed.positionals, parsed.values as Values, io);
}

async function run(): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2), processIo);
  } catch (e) {
    process.exitCode = reportFailure(e, (t) => process.stderr.write(t));
  }
}

await run();
