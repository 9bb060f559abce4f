/** The host's mount table, for the few mounts kite makes outside a namespace (tmpfs emptyDirs). */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';

/** Mount points, decoded from /proc/self/mounts (empty off Linux). */
export async function mountPoints(): Promise<string[]> {
  const text = await fs.readFile('/proc/self/mounts', 'utf8').catch(() => '');
  // The kernel writes space, tab, newline and backslash as octal escapes.
  return text
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter(Boolean);
}

/** Runs a mount tool; undefined on success, else its error text. */
export function mountTool(file: 'mount' | 'umount', args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => execFile(file, args, (err, _out, stderr) => resolve(err ? String(stderr).trim() || err.message : undefined)));
}
