// Summaries of V8 .cpuprofile files for the bench scripts: where the time goes, by function and
// file, mapped back to the TypeScript sources through build/*.js.map.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | null>();
function sourcePosition(url: string, line: number, col: number): string {
  if (!url) return '(native)';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  let map = maps.get(file);
  if (map === undefined) {
    map = null;
    try {
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  if (map && line >= 0) {
    const e = map.findEntry(line, col) as { originalSource?: string; originalLine?: number } | undefined;
    if (e?.originalSource) {
      const src = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : resolve(dirname(file), e.originalSource);
      return `${relative(ROOT, src)}:${e.originalLine! + 1}`;
    }
  }
  const shown = file.startsWith(ROOT) ? relative(ROOT, file) : file;
  return `${shown}:${line + 1}`;
}

/**
 * The functions (and files) with the most self time in a .cpuprofile (source-mapped through the
 * bundle's .map files), then kite's own functions
 * (lib/, commands/, cli.ts) with the most total time (each sample counted once per function on its
 * stack, so recursion is not counted twice).
 */
export function topSelf(profileFile: string, top = 25, untilMs = Infinity, fromMs = 0): string {
  const p = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  let elapsed = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    elapsed += dt;
    if (elapsed > untilMs * 1000) break; // only the profile's first `untilMs` ms (e.g. a start-up)
    if (elapsed < fromMs * 1000) continue; // or only a window of it (e.g. a steady state)
    total += dt;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }
  const agg = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const at = sourcePosition(f.url, f.lineNumber, f.columnNumber);
    const key = `${f.functionName || '(anonymous)'}  ${at}`;
    agg.set(key, (agg.get(key) ?? 0) + us);
    const file = at.startsWith('(')
      ? `${f.functionName} (native)`
      : at.replace(/:\d+$/, '').replace(/^node:.*/, 'node: internals').replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, 'node_modules/$1');
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  // Total time: walk the tree, carrying the set of kite functions on the stack.
  const keyOfNode = new Map<number, string>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const at = sourcePosition(f.url, f.lineNumber, f.columnNumber);
    if (/^(lib|commands)\/|^cli\.ts:/.test(at)) keyOfNode.set(n.id, `${f.functionName || '(anonymous)'}  ${at}`);
  }
  const inclusive = new Map<string, number>();
  const parentOf = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const k = keyOfNode.get(at);
      if (k && !seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + us);
      }
    }
  }
  const fmt = ([k, us]: [string, number]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`;
  return [
    `${relative(ROOT, profileFile)}: ${(total / 1e6).toFixed(2)} s sampled; top functions by self time (file:line of the function):`,
    ...[...agg].sort((a, b) => b[1] - a[1]).slice(0, top).map(fmt),
    'self time by file:',
    ...[...byFile].sort((a, b) => b[1] - a[1]).slice(0, 15).map(fmt),
    "kite's functions by total time (self + callees):",
    ...[...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 20).map(fmt),
  ].join('\n');
}
