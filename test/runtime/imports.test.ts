/**
 * The boundaries inside runtime/ (see /work/shared/reference/architecture.md): controllers, the
 * scheduler and kubelets reach one another and the API only through runtime/client and
 * lib/api, so each can be started, stopped and tested alone; runtime/runtime.ts is the only
 * module that assembles them all. The in-process client is the one door into the API server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/kite.ts';

type Imports = Map<string, string[]>;

/** Every module under `dir` (repository-relative) with the repository-relative paths it imports. */
function importsUnder(dir: string): Imports {
  const out: Imports = new Map();
  const walk = (d: string) => {
    for (const e of readdirSync(join(REPO, d), { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts')) out.set(path, importsOf(path));
    }
  };
  walk(dir);
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm)].map((m) => m[1]!);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(REPO, resolve(REPO, dirname(file), s)));
}

interface Rule {
  /** Modules the rule applies to (a path prefix). */
  from: string;
  /** Path prefixes they must not import. */
  never: string[];
  /** Exceptions: `module → imported prefixes` allowed despite `never`. */
  except?: Record<string, string[]>;
}

const OUTSIDE_RUNTIME = ['lib/constructs', 'lib/synth', 'lib/plan', 'lib/kube', 'lib/import', 'commands', 'cli.ts'];

const RULES: Rule[] = [
  { from: 'runtime/controllers/', never: ['runtime/scheduler/', 'runtime/kubelet/', 'runtime/apiserver/', 'runtime/store/', 'runtime/runtime.ts'] },
  { from: 'runtime/scheduler/', never: ['runtime/controllers/', 'runtime/kubelet/', 'runtime/apiserver/', 'runtime/store/', 'runtime/runtime.ts'] },
  { from: 'runtime/kubelet/', never: ['runtime/controllers/', 'runtime/scheduler/', 'runtime/apiserver/', 'runtime/store/', 'runtime/runtime.ts'] },
  { from: 'runtime/proxy/', never: ['runtime/controllers/', 'runtime/scheduler/', 'runtime/kubelet/', 'runtime/apiserver/', 'runtime/store/', 'runtime/runtime.ts'] },
  {
    from: 'runtime/client/',
    never: ['runtime/controllers/', 'runtime/scheduler/', 'runtime/kubelet/', 'runtime/apiserver/', 'runtime/store/', 'runtime/runtime.ts'],
    // The in-process client calls the registry (and reads the discovery documents) in place of HTTP.
    except: {
      'runtime/client/client.ts': ['runtime/apiserver/registry.ts', 'runtime/apiserver/patching.ts', 'runtime/apiserver/resources.ts', 'runtime/apiserver/discovery.ts'],
    },
  },
  { from: 'runtime/component.ts', never: ['runtime/'] },
  { from: 'runtime/', never: OUTSIDE_RUNTIME },
];

/** `module imports target` for every import that breaks a rule. */
function violations(imports: Imports, rules: readonly Rule[] = RULES): string[] {
  const out: string[] = [];
  for (const [module, targets] of imports) {
    for (const rule of rules) {
      if (!module.startsWith(rule.from)) continue;
      const allowed = rule.except?.[module] ?? [];
      for (const t of targets) {
        if (t === module || allowed.some((a) => t.startsWith(a))) continue;
        if (rule.never.some((n) => t.startsWith(n) && !t.startsWith(rule.from))) out.push(`${module} imports ${t}`);
      }
    }
  }
  return out;
}

describe('runtime boundaries', () => {
  it('controllers, scheduler and kubelets reach one another only through runtime/client and lib/api', () => {
    expect(violations(importsUnder('runtime'))).toEqual([]);
  });

  it('only runtime/runtime.ts assembles the components', () => {
    const assemblers = [...importsUnder('runtime')]
      .filter(([, targets]) => ['runtime/controllers/', 'runtime/scheduler/', 'runtime/kubelet/'].every((p) => targets.some((t) => t.startsWith(p))))
      .map(([m]) => m);
    expect(assemblers).toEqual(['runtime/runtime.ts']);
  });

  it('reports a controller that imports the scheduler or the API server', () => {
    const bad: Imports = new Map([
      ['runtime/controllers/x.ts', ['runtime/scheduler/cache.ts', 'runtime/apiserver/status.ts', 'runtime/client/client.ts', 'lib/api/status.ts']],
      ['runtime/kubelet/y.ts', ['runtime/controllers/shared.ts']],
      ['runtime/client/informer.ts', ['runtime/apiserver/status.ts']],
    ]);
    expect(violations(bad)).toEqual([
      'runtime/controllers/x.ts imports runtime/scheduler/cache.ts',
      'runtime/controllers/x.ts imports runtime/apiserver/status.ts',
      'runtime/kubelet/y.ts imports runtime/controllers/shared.ts',
      'runtime/client/informer.ts imports runtime/apiserver/status.ts',
    ]);
  });
});
