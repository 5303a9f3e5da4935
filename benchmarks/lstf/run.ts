/**
 * `npm run bench:lstf -- [flags]`: `chronoscale bench lstf [flags]` (cli/bench.ts and
 * cli/lstf/ hold the flags, the protocol and the reference figures), with the records kept
 * here in benchmarks/lstf/results unless `--results` says otherwise.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../cli/run-cli.ts';

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const argv = process.argv.slice(2);
const hasResults = argv.some((arg) => arg === '--results' || arg.startsWith('--results='));

process.exitCode = await runCli(['bench', 'lstf', ...argv, ...(hasResults ? [] : ['--results', resultsDir])]);
