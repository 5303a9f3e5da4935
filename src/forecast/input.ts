/** What the orchestrator accepts as data: a Panel, an arquero table, or a file path. */
import { checkContiguous } from '../data/contiguity.ts';
import { loadPanel, tableToPanel, type LoadOptions, type LoadResult } from '../data/load.ts';
import type { Panel } from '../data/types.ts';
import type { Table } from '../data/table.ts';

export type ForecastInput = Panel | Table | string;

function isPanel(input: ForecastInput): input is Panel {
  return typeof input === 'object' && 'series' in input && 'channels' in input && Array.isArray((input as Panel).series);
}

/**
 * Reads any ForecastInput into a Panel with the table options. Series with gaps or off-grid
 * timestamps are refused (windows would join the rows on either side of a gap) unless
 * `options.regularize` inserts the missing timestamps as missing values.
 */
export async function toPanel(input: ForecastInput, options: LoadOptions = {}): Promise<Panel> {
  if (isPanel(input)) {
    checkContiguous(input, options.source ?? 'panel');
    return input;
  }
  const loaded: LoadResult = typeof input === 'string' ? await loadPanel(input, options) : tableToPanel(input, options);
  if (!options.regularize) checkContiguous(loaded.panel, options.source ?? (typeof input === 'string' ? input : 'table'), loaded.reports);
  return loaded.panel;
}
