/**
 * `--repair` of `bench lstf`: the loader's explicit repairs of unsorted and duplicated
 * timestamps (RepairOptions), asked for on the command line and reported, never made
 * unasked. The Weather file as commonly distributed repeats one timestamp (data row 19045).
 */
import { DataError, type RepairOptions } from '../../index.ts';

/** The `--repair` values, for the help text. */
export const repairHelp = 'sort, duplicates:first|last|mean, or both comma-separated';

const duplicateRules = ['first', 'last', 'mean'] as const;

/** Parses `--repair sort,duplicates:mean`. Throws an Error whose message is the usage problem. */
export function parseRepair(text: string): RepairOptions {
  const repair: RepairOptions = {};
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === 'sort') repair.sort = true;
    else if (item.startsWith('duplicates:') && (duplicateRules as readonly string[]).includes(item.slice('duplicates:'.length))) {
      repair.duplicates = item.slice('duplicates:'.length) as RepairOptions['duplicates'];
    } else throw new Error(`--repair ${item} is not one of ${repairHelp} (e.g. --repair sort,duplicates:mean)`);
  }
  return repair;
}

/**
 * The loader's message with its API hint (`pass repair: { sort: true }`) put in this command's
 * terms (`pass --repair sort`); other errors unchanged.
 */
export function inCommandTerms(error: unknown): unknown {
  if (!(error instanceof DataError)) return error;
  const message = error.message
    .replace(/pass repair: \{ sort: true \}/, 'pass --repair sort')
    .replace(/pass repair: \{ duplicates: 'first' \| 'last' \| 'mean' \}/, 'pass --repair duplicates:first, duplicates:last or duplicates:mean');
  return message === error.message ? error : new Error(message);
}
