/**
 * The nftables ruleset for a service table, after kube-proxy's nftables mode
 * (k/k pkg/proxy/nftables/proxier.go): one table of our own, `ip kite-<slot>`;
 *  - chain `filter-output` (filter hook output, priority -110, before the DNAT): `reject` for every
 *    Service address whose port has no endpoints (kube-proxy's "has no endpoints" REJECT);
 *  - chain `nat-output` (nat hook output, priority -100: locally generated traffic, which is all
 *    traffic here, pods being host processes): each Service address jumps to its service chain;
 *  - per Service port a chain choosing an endpoint chain with `numgen random mod n vmap` (uniform,
 *    as kube-proxy's), preceded with `sessionAffinity: ClientIP` by one lookup per endpoint in its
 *    affinity set (a dynamic set of client addresses with the timeout);
 *  - per endpoint a chain that records the client in its affinity set (when used) and DNATs.
 * The whole table is deleted and written again in one `nft -f` transaction: atomic, so a
 * connection never sees half a table; established connections keep their conntrack entry.
 */
import type { ServicePortEntry } from '../service-table.ts';

export function tableName(slot: number): string {
  return `kite-${slot}`;
}

/** The `nft -f` input that replaces the table with the rules for `table`. */
export function renderRuleset(slot: number, table: readonly ServicePortEntry[]): string {
  const name = tableName(slot);
  const rejects: string[] = [];
  const dispatch: string[] = [];
  const chains: string[] = [];
  const sets: string[] = [];
  table.forEach((entry, i) => {
    const proto = entry.protocol.toLowerCase();
    const comment = `comment ${quote(entry.key)}`;
    if (entry.endpoints.length === 0) {
      for (const l of entry.listeners) rejects.push(`ip daddr ${l.address} ${proto} dport ${l.port} reject ${commentText(`${entry.namespace}/${entry.service}:${entry.portName} has no endpoints`)}`);
      return;
    }
    const svcChain = `svc-${i}`;
    for (const l of entry.listeners) dispatch.push(`ip daddr ${l.address} ${proto} dport ${l.port} goto ${svcChain} ${comment}`);
    const body: string[] = [];
    entry.endpoints.forEach((ep, j) => {
      const epChain = `ep-${i}-${j}`;
      const rules: string[] = [];
      if (entry.affinitySeconds !== undefined) {
        const set = `affinity-${i}-${j}`;
        sets.push(`set ${set} { type ipv4_addr; flags dynamic,timeout; timeout ${entry.affinitySeconds}s; }`);
        body.push(`ip saddr @${set} goto ${epChain}`);
        rules.push(`update @${set} { ip saddr }`);
      }
      rules.push(`meta l4proto ${proto} dnat to ${ep.ip}:${ep.port}`);
      chains.push(chain(epChain, rules));
    });
    const n = entry.endpoints.length;
    body.push(n === 1 ? `goto ep-${i}-0` : `numgen random mod ${n} vmap { ${entry.endpoints.map((_, j) => `${j} : goto ep-${i}-${j}`).join(', ')} }`);
    chains.push(chain(svcChain, body));
  });
  return [
    // Creating it first makes the delete valid on a host where it does not exist yet.
    `table ip ${name}`,
    `delete table ip ${name}`,
    `table ip ${name} {`,
    ...sets.map((s) => `  ${s}`),
    chain('filter-output', ['type filter hook output priority -110; policy accept;', ...rejects]),
    chain('nat-output', ['type nat hook output priority -100; policy accept;', ...dispatch]),
    ...chains,
    '}',
    '',
  ].join('\n');
}

/** Removes the table (nft -f input). */
export function renderDelete(slot: number): string {
  return `table ip ${tableName(slot)}\ndelete table ip ${tableName(slot)}\n`;
}

function chain(name: string, rules: string[]): string {
  return [`  chain ${name} {`, ...rules.map((r) => `    ${r}`), '  }'].join('\n');
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, '')}"`;
}

function commentText(s: string): string {
  return `comment ${quote(s)}`;
}
