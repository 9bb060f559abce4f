/**
 * Whether the nftables data plane can run here: root (DNAT rules need CAP_NET_ADMIN) and a
 * working `nft` (it lists tables). Also removes the tables of runtimes that died without
 * removing theirs: a slot's table is stale when nothing holds the slot (runtime/network.ts).
 */
import { execFile } from 'node:child_process';
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
  const nft = await findNft();
  if (!nft) return { ok: false, reason: 'the nft command is not installed' };
  let tables: string;
  try {
    tables = await runNft(nft, ['list', 'tables', 'ip']);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  for (const m of tables.matchAll(/^table ip kite-(\d+)$/gm)) {
    const slot = Number(m[1]);
    if (slot === network.slot || !(await slotHeld(slot))) await runNft(nft, ['-f', '-'], renderDelete(slot)).catch(() => {});
  }
  return { ok: true, nft };
}

async function findNft(): Promise<string | undefined> {
  for (const p of ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft']) {
    try {
      await runNft(p, ['--version']);
      return p;
    } catch {
      // not there
    }
  }
  return undefined;
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
