import { createInterface } from 'node:readline/promises';

/**
 * Terraform's confirmation: on a TTY, only "yes" proceeds. Without a TTY the caller must pass
 * --yes (a pipeline never hangs on a prompt).
 */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

export function interactive(): boolean {
  return !!process.stdin.isTTY && !!process.stderr.isTTY;
}
