// The pretraining corpus of the cpu preset: every channel of ETTh2, exchange_rate and
// national_illness, training split only (TSLib borders: ETTh's first 12 months for ETTh2, the
// first ⌊0.7 N⌋ rows for the others), so no validation or test row of any set is seen, and
// nothing of ETTh1 or ETTm1, the zero-shot targets. Each channel is one univariate series,
// normalised by upstream's zero scaler over its training rows, then packed as upstream.

import path from 'node:path';
import { loadPanel, protocolFor, splitRanges } from '../../src/index.ts';
import { packWindows, zeroScale, type PackedWindow } from '../../models/time-moe/pretrain-data.ts';

/** The sets pretrained on (never ETTh1 or ETTm1). */
export const pretrainSets = ['ETTh2.csv', 'exchange_rate.csv', 'national_illness.csv'] as const;

export interface Corpus {
  windows: PackedWindow[];
  /** One line per set: rows used, channels, windows. */
  sources: { file: string; trainRows: number; channels: number; windows: number }[];
  /** Real (masked-in) label points over all windows. */
  points: number;
}

/** Loads the sets from `dataDir`, keeps the training rows, scales and packs every channel. */
export async function loadCorpus(dataDir: string, maxLength: number): Promise<Corpus> {
  const windows: PackedWindow[] = [];
  const sources: Corpus['sources'] = [];
  let seriesBase = 0;
  for (const file of pretrainSets) {
    const { panel } = await loadPanel(path.join(dataDir, file));
    const c = panel.channels.length;
    const series = panel.series[0];
    const rows = series.time.length;
    // Lookback 0: only the training border matters here.
    const [, trainEnd] = splitRanges(rows, { protocol: protocolFor(file), lookback: 0 }).train;
    const channels: Float32Array[] = [];
    for (let ch = 0; ch < c; ch++) {
      const values = new Float64Array(trainEnd);
      for (let t = 0; t < trainEnd; t++) {
        if (series.mask[t * c + ch] !== 1) throw new Error(`${file}: row ${t + 1}, column ${panel.channels[ch]} is missing; the corpus needs complete series`);
        values[t] = series.values[t * c + ch];
      }
      channels.push(zeroScale(values));
    }
    const packed = packWindows(channels, maxLength);
    for (const w of packed) windows.push({ ...w, series: seriesBase + w.series });
    seriesBase += c;
    sources.push({ file, trainRows: trainEnd, channels: c, windows: packed.length });
  }
  let points = 0;
  for (const w of windows) for (const m of w.lossMask) points += m;
  return { windows, sources, points };
}
