/**
 * The `chronoscale` command line. Each command parses its own flags, prints `--help`, and
 * reports bad arguments with a message and exit status 2.
 */
import { match } from 'ts-pattern';
import { shutdown } from '../src/engine/context.ts';
import { UsageError } from './args.ts';
import { info, infoHelp } from './info.ts';
import { selfcheck, selfcheckHelp } from './selfcheck.ts';

const commands = ['info', 'selfcheck', 'help'] as const;
type Command = (typeof commands)[number];

const usage = `chronoscale <command> [options]

Commands:
  selfcheck   check every kernel against its reference on this machine, then train a demo model
  info        show the backend, threads, fast paths and versions
  help        show this text, or \`help <command>\`

Run \`chronoscale <command> --help\` for a command's options.`;

function helpFor(name: string | undefined): string {
  return match(name)
    .with('info', () => infoHelp)
    .with('selfcheck', () => selfcheckHelp)
    .otherwise(() => usage);
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(usage);
    return name === undefined ? 2 : 0;
  }
  if (!(commands as readonly string[]).includes(name)) throw new UsageError(`unknown command '${name}'`);
  return match(name as Command)
    .with('help', () => {
      console.log(helpFor(rest[0]));
      return 0;
    })
    .with('info', async () => {
      console.log(await info(rest));
      return 0;
    })
    .with('selfcheck', () => selfcheck(rest, (line) => console.log(line)))
    .exhaustive();
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`chronoscale: ${error.message}\n\n${usage}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  }
} finally {
  await shutdown();
}
