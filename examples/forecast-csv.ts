/**
 * Forecasting a CSV of your own: fit the closed-form RidgeLinear model and seasonal naive on every
 * series of the file, forecast past its end, and print the forecast table (neuralforecast's
 * columns: unique_id, ds, one column per model).
 *
 * The file is long (`unique_id, ds, y`: one row per series and time) or wide (a `date`/`ds`
 * column and one numeric column per channel); timestamps may be dates or date-times, and the
 * frequency is inferred. Without a file, a small demo CSV (two shops, hourly sales for three
 * weeks) is written to the temp folder and used.
 *
 * Run: npx tsx examples/forecast-csv.ts [FILE.csv] [--horizon 24] [--season 24] [--quick]
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Forecast, RidgeLinear, SeasonalNaive, init, shutdown } from '../index.ts';

const { values, positionals } = parseArgs({
  options: { horizon: { type: 'string', default: '24' }, season: { type: 'string', default: '24' }, quick: { type: 'boolean' } },
  allowPositionals: true,
});
const horizon = Number(values.horizon);
const quick = values.quick || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
const season = Number(values.season);

/** Hourly sales of two shops: a daily cycle, busier weekends, and noise (seeded, so runs repeat). */
async function writeDemoCsv(): Promise<string> {
  let seed = 42;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 6;
  const lines = ['unique_id,ds,y'];
  for (const [shop, base] of [
    ['shop_a', 40],
    ['shop_b', 25],
  ] as const) {
    for (let hour = 0; hour < 21 * 24; hour++) {
      const time = new Date(Date.UTC(2024, 2, 4, hour)); // Monday 2024-03-04, 00:00
      const daily = Math.max(0, Math.sin((Math.PI * ((hour % 24) - 8)) / 12)); // open 8:00–20:00
      const weekend = time.getUTCDay() % 6 === 0 ? 1.4 : 1;
      lines.push(`${shop},${time.toISOString().slice(0, 19).replace('T', ' ')},${(base * daily * weekend + noise() + 5).toFixed(1)}`);
    }
  }
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'chronoscale-')), 'sales.csv');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

const file = positionals[0] ?? (await writeDemoCsv());
if (positionals[0] === undefined) console.log(`no file given: using the demo CSV ${file}`);

await init();
// Four horizons of context for RidgeLinear; seasonal naive repeats the last `season` steps.
const forecast = new Forecast({ models: [new RidgeLinear({ lookback: 4 * horizon, horizon }), new SeasonalNaive({ horizon, season })] });
await forecast.fit(file);
const panel = forecast.history!;
console.log(`${panel.series.length} series, channels ${panel.channels.join(', ')}, ${panel.series[0].time.length} steps each (first series)`);

const table = (await forecast.predict()).toTable();
// Two decimals and plain times for the console; the table itself keeps full precision (table.toCSV()).
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
await shutdown();
