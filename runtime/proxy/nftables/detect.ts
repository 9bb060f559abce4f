/**
 * Whether the nftables data plane can run here: root (DNAT rules need CAP_NET_ADMIN) and a
 * working `nft` (it lists tables). Also removes the tables of runtimes that died without
 * removing theirs: a slot's table is stale when nothing holds the slot (runtime/network.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { networkOfSlot, PROXY_HEALTHZ_PORT, type RuntimeNetwork } from '../../network.ts';
import { renderDelete } from './ruleset.ts';

export type NftablesChoice = { ok: true; nft: string } | { ok: false; reason: string };

/** Runs nft with `input` on stdin (`-f -`) or the given arguments. */
export function runNft(nft: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(nft, args, { timeout: 10_000 }, (err, stdout, stderr) => (err ? reject(new Error(`nft ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout)));
    if (input !== undefined) child.stdin!.end(input);
  });
}

export async function chooseNftables(network: RuntimeNetwork): Promise<NftablesChoice> {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root' };
  const nft = findNft();
  if (!nft) return { ok: false, reason: 'the nft command is not installed' };
  try {
    await removeStaleTables(nft, network);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  return { ok: true, nft };
}

/**
 * For the userspace mode: a table an nftables-mode run of this slot left behind (it crashed)
 * would still DNAT our Service addresses to old endpoints, so it goes too. Best effort.
 */
export async function removeStaleTablesIfAny(network: RuntimeNetwork): Promise<void> {
  const nft = process.getuid?.() === 0 ? findNft() : undefined;
  if (nft) await removeStaleTables(nft, network).catch(() => {});
}

/** Deletes our slot's table and those of slots no runtime holds. */
async function removeStaleTables(nft: string, network: RuntimeNetwork): Promise<void> {
  const tables = await runNft(nft, ['list', 'tables', 'ip']);
  for (const m of tables.matchAll(/^table ip kite-(\d+)$/gm)) {
    const slot = Number(m[1]);
    if (slot === network.slot || !(await slotHeld(slot))) await runNft(nft, ['-f', '-'], renderDelete(slot)).catch(() => {});
  }
}

function findNft(): string | undefined {
  return ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft'].find((p) => existsSync(p));
}

/** Whether a runtime answers on the slot's healthz address. */
function slotHeld(slot: number): Promise<boolean> {
  let network: RuntimeNetwork;
  try {
    network = networkOfSlot(slot);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const s = connect({ host: network.nodePortAddress, port: PROXY_HEALTHZ_PORT });
    s.setTimeout(1_000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(true)));
  });
}
