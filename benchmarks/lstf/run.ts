/**
 * `npm run bench:lstf -- [flags]`: the same as `chronoscale bench lstf [flags]` (see
 * cli/bench.ts for the flags and datasets.ts, reference.ts, runner.ts, report.ts here for
 * what runs), so both spellings share one implementation and one set of error messages.
 */
import { runCli } from '../../cli/run-cli.ts';

process.exitCode = await runCli(['bench', 'lstf', ...process.argv.slice(2)]);
