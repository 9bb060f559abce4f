#!/usr/bin/env node
// Thin edge: parse argv, call a command, print, exit code.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pkg from './package.json' with { type: 'json' };
import { EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USER_ERROR } from './commands/exit-codes.ts';
import { processIo, UserError, type Io } from './commands/output.ts';
import { synthCommand, validateCommand } from './commands/synth.ts';

const HELP = `kite — Kubernetes infrastructure as typed TypeScript

Usage: kite <command> [options]

Commands:
  synth <program.ts|file.yaml|dir>     write one <stack>.k8s.yaml per stack
      -o, --output DIR                  output directory (default: dist)
      --stdout                          print the YAML instead of writing files
      --stack NAME                      stack name for YAML input (default: file or directory name)
  validate <input>...                  check programs or YAML without writing anything

Options:
  -h, --help                           show this help
  -v, --version                        print the version

Exit codes: 0 success, 1 a problem in your input (the message names file, object and field),
2 an internal error in kite.
`;

type Flags = NonNullable<ParseArgsConfig['options']>;

const COMMANDS: Record<string, { flags: Flags; run: (pos: string[], v: Record<string, unknown>, io: Io) => Promise<number> }> = {
  synth: {
    flags: { output: { type: 'string', short: 'o', default: 'dist' }, stdout: { type: 'boolean', default: false }, stack: { type: 'string' } },
    run: (pos, v, io) => {
      const input = one(pos, 'synth <program.ts|file.yaml|dir>');
      return synthCommand({ input, outdir: v.output as string, stdout: v.stdout as boolean, ...(v.stack ? { stack: v.stack as string } : {}) }, io);
    },
  },
  validate: {
    flags: { stack: { type: 'string' } },
    run: (pos, v, io) => {
      if (pos.length === 0) throw new UserError('validate needs at least one input: kite validate <program.ts|file.yaml|dir>...');
      return validateCommand({ inputs: pos, ...(v.stack ? { stack: v.stack as string } : {}) }, io);
    },
  },
};

function one(pos: string[], usage: string): string {
  if (pos.length !== 1) throw new UserError(`expected exactly one input: kite ${usage}`);
  return pos[0]!;
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
  return command.run(parsed.positionals, parsed.values, io);
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
