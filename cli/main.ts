/**
 * The `chronoscale` command line (see run-cli.ts for the commands). Each command parses its
 * own flags, prints `--help`, and reports bad arguments with a message and exit status 2.
 */
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
