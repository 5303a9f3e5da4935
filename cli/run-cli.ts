/**
 * The command dispatcher behind `bin/chronoscale.js` (and `npm run bench:lstf`). Each command
 * is imported only when it runs, so `info` or a mistyped flag does not pay for loading the
 * plotting stack. Bad arguments exit with status 2 and the command's synopsis; other failures
 * with status 1 and their message (the stack only for programming errors, or with
 * CHRONOSCALE_DEBUG=1).
 */
import { match } from 'ts-pattern';
// Not the package entry: that loads the plotting stack (2 s), which `info` and `--help` do not need.
import { shutdown } from '../index.ts';
import { UsageError } from './args.ts';

const commands = ['forecast', 'backtest', 'bench', 'demo', 'info', 'selfcheck', 'help'] as const;
type Command = (typeof commands)[number];

/** The command list, shown by `chronoscale --help` and for an unknown command. */
export const usage = `chronoscale <command> [options]

Commands:
  demo        forecast US daily births: model choice, backtest, plots, report (npm start)
  forecast    fit models on a CSV/JSON/Arrow file and forecast past its end
  backtest    rolling-origin backtest of models on a file, with a metric table
  bench lstf  the long-horizon benchmark protocol (ETTh1, ETTh2, ETTm1, exchange_rate, ILI)
  selfcheck   check every kernel against its reference on this machine, then train a demo model
  info        show the backend, threads, fast paths and versions
  help        show this text, or \`help <command>\`

Run \`chronoscale <command> --help\` for a command's options.`;

type Print = (line: string) => void;

async function helpFor(name: string | undefined): Promise<string> {
  if (name === undefined || !(commands as readonly string[]).includes(name)) return usage;
  return match(name as Command)
    .with('forecast', async () => (await import('./forecast.ts')).forecastHelp)
    .with('backtest', async () => (await import('./backtest.ts')).backtestHelp)
    .with('bench', async () => (await import('./bench.ts')).benchHelp)
    .with('demo', async () => (await import('./demo.ts')).demoHelp)
    .with('info', async () => (await import('./info.ts')).infoHelp)
    .with('selfcheck', async () => (await import('./selfcheck.ts')).selfcheckHelp)
    .with('help', () => usage)
    .exhaustive();
}

async function dispatch(argv: string[], io: CliOutput): Promise<number> {
  const print = io.out;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    print(usage);
    return name === undefined ? 2 : 0;
  }
  if (!(commands as readonly string[]).includes(name)) throw new UsageError(`unknown command '${name}'`);
  return match(name as Command)
    .with('help', async () => {
      print(await helpFor(rest[0]));
      return 0;
    })
    .with('forecast', async () => (await import('./forecast.ts')).forecast(rest, print))
    .with('backtest', async () => (await import('./backtest.ts')).backtest(rest, print))
    .with('bench', async () => (await import('./bench.ts')).bench(rest, io))
    .with('demo', async () => (await import('./demo.ts')).demo(rest, print))
    .with('info', async () => {
      print(await (await import('./info.ts')).info(rest));
      return 0;
    })
    .with('selfcheck', async () => (await import('./selfcheck.ts')).selfcheck(rest, print))
    .exhaustive();
}

/** What to say about a failure: usage errors get the synopsis, programming errors their stack. */
function report(error: unknown): { message: string; status: number } {
  if (error instanceof UsageError) {
    if (!error.usage) return { message: `chronoscale: ${error.message}\n\n${usage}`, status: 2 };
    const synopsis = error.usage.split('\n')[0];
    const words = synopsis.split(' ');
    const flagsStart = words.findIndex((word) => !/^[a-z]/.test(word));
    const command = words.slice(0, flagsStart < 0 ? words.length : flagsStart).join(' ');
    return { message: `${command}: ${error.message}\nusage: ${synopsis}\n(\`${command} --help\` lists the options)`, status: 2 };
  }
  const debug = process.env.CHRONOSCALE_DEBUG === '1';
  const bug = error instanceof TypeError || error instanceof ReferenceError || !(error instanceof Error);
  const text = error instanceof Error ? ((debug || bug) && error.stack ? error.stack : error.message) : String(error);
  return { message: `chronoscale: ${text}`, status: 1 };
}

/** Where a command's output and errors go (the console, or a test's capture). */
export interface CliOutput {
  out: Print;
  err: Print;
}

const consoleOutput: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs one command line and returns its exit status; the engine is shut down afterwards. */
export async function runCli(argv: string[], io: CliOutput = consoleOutput): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const { message, status } = report(error);
    io.err(message);
    return status;
  } finally {
    await shutdown();
  }
}
