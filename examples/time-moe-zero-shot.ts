/**
 * Zero-shot forecasting of a CSV with a Time-MoE checkpoint folder: no training, every series and
 * channel forecast on its own from its last `lookback` steps, each context z-scored as the
 * Time-MoE README does (unbiased std) and the forecast put back in its units. Seasonal naive
 * stands beside it as the bar to beat.
 *
 * The checkpoint is a Hugging Face folder as downloaded (config.json + model.safetensors, or the
 * sharded index), e.g. Maple728/TimeMoE-50M. Without one, the tiny test checkpoint
 * (test/fixtures/time-moe-tiny, random weights) is used: it shows the path runs, not accuracy.
 * Without --data, a demo CSV (two shops, hourly sales for three weeks) is written and used.
 *
 * Run: npx tsx examples/time-moe-zero-shot.ts [CHECKPOINT_DIR] [--data FILE.csv] [--horizon 24] [--lookback 96] [--quick]
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Forecast, SeasonalNaive, TimeMoEForecaster, init, shutdown } from '../index.ts';

const { values, positionals } = parseArgs({
  options: { data: { type: 'string' }, horizon: { type: 'string', default: '24' }, lookback: { type: 'string' }, quick: { type: 'boolean' } },
  allowPositionals: true,
});
const horizon = Number(values.horizon);
const lookback = Number(values.lookback ?? 4 * horizon);
const quick = values.quick || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
const tiny = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/time-moe-tiny');
const weights = positionals[0] ?? tiny;

/** Hourly sales of two shops: a daily cycle, busier weekends, and noise (seeded, so runs repeat). */
async function writeDemoCsv(): Promise<string> {
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 6;
  const lines = ['unique_id,ds,y'];
  for (const [shop, base] of [
    ['shop_a', 40],
    ['shop_b', 25],
  ] as const) {
    for (let hour = 0; hour < 21 * 24; hour++) {
      const time = new Date(Date.UTC(2024, 2, 4, hour));
      const daily = Math.max(0, Math.sin((Math.PI * ((hour % 24) - 8)) / 12));
      const weekend = time.getUTCDay() % 6 === 0 ? 1.4 : 1;
      lines.push(`${shop},${time.toISOString().slice(0, 19).replace('T', ' ')},${(base * daily * weekend + noise() + 5).toFixed(1)}`);
    }
  }
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'chronoscale-')), 'sales.csv');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

const file = values.data ?? (await writeDemoCsv());
console.log(`checkpoint ${weights}${weights === tiny ? ' (the tiny test checkpoint)' : ''}; data ${values.data ?? `${file} (demo CSV)`}`);
await init();
const timeMoE = new TimeMoEForecaster({ weights, lookback, horizon, normalization: 'window-unbiased' });
// The Forecast's own scaler is off: the model normalises each context itself, as the README does.
const forecast = new Forecast({ models: [timeMoE, new SeasonalNaive({ horizon, season: 24 })], scaler: 'none' });
await forecast.fit(file, { progress: 'silent' });
console.log(
  `TimeMoE ${timeMoE.lastFit?.mode}: ${timeMoE.model.config.num_hidden_layers} layers × ${timeMoE.model.config.num_experts} experts, heads ${timeMoE.model.config.horizon_lengths.join(', ')}; lookback ${lookback}, horizon ${horizon}`,
);
const table = (await forecast.predict()).toTable();
const rows = table
  .objects({ limit: quick ? 6 : 2 * horizon })
  .map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        v instanceof Date ? v.toISOString().slice(0, 16).replace('T', ' ') : typeof v === 'number' ? Number(v.toFixed(2)) : v,
      ]),
    ),
  );
console.table(rows);
if (table.numRows() > rows.length) console.log(`… ${table.numRows()} rows in all`);
if (weights === tiny) {
  console.log('note: the tiny test checkpoint has random weights; real accuracy needs the published ones (e.g. Maple728/TimeMoE-50M, passed as the folder)');
}
await shutdown();
