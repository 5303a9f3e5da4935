/** What the orchestrator accepts as data: a Panel, an arquero table, or a file path. */
import { loadPanel, tableToPanel, type LoadOptions } from '../data/load.ts';
import type { Panel } from '../data/types.ts';
import type { Table } from '../data/table.ts';

export type ForecastInput = Panel | Table | string;

function isPanel(input: ForecastInput): input is Panel {
  return typeof input === 'object' && 'series' in input && 'channels' in input && Array.isArray((input as Panel).series);
}

/** Reads any ForecastInput into a Panel with the table options. */
export async function toPanel(input: ForecastInput, options: LoadOptions = {}): Promise<Panel> {
  if (typeof input === 'string') return (await loadPanel(input, options)).panel;
  if (isPanel(input)) return input;
  return tableToPanel(input, options).panel;
}
