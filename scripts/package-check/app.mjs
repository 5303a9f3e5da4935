// A user's plain JavaScript script, run by scripts/test-package.mjs with `node app.mjs` in a
// scratch project that installed the packed tarball: fit, predict, check the numbers.
import { writeFileSync } from 'node:fs';
import { DLinear, Forecast, SeasonalNaive, shutdown } from 'chronoscale';
import { sum, tensor } from 'chronoscale/engine';

// Three weeks of an hourly series: a daily cycle plus a slow trend.
const lines = ['unique_id,ds,y'];
for (let hour = 0; hour < 21 * 24; hour++) {
  const ds = new Date(Date.UTC(2024, 0, 1, hour)).toISOString().slice(0, 19).replace('T', ' ');
  lines.push(`s1,${ds},${(10 + 3 * Math.sin((2 * Math.PI * hour) / 24) + hour / 100).toFixed(3)}`);
}
writeFileSync('series.csv', `${lines.join('\n')}\n`);

const horizon = 24;
const forecast = new Forecast({ models: [new DLinear({ lookback: 96, horizon, maxEpochs: 2 }), new SeasonalNaive({ horizon, season: 24 })] });
await forecast.fit('series.csv', { progress: 'silent', seed: 0 });
const result = await forecast.predict();
for (const model of ['DLinear', 'SeasonalNaive']) {
  const values = result.get(model, 's1').point.values;
  if (values.length !== horizon || !values.every(Number.isFinite)) throw new Error(`${model}: ${values.length} values, not ${horizon} finite ones`);
  console.log(`${model} forecast: ${horizon} finite values, first ${values[0].toFixed(3)}`);
}
const total = await sum(tensor([1, 2, 3])).item();
if (total !== 6) throw new Error(`chronoscale/engine: sum([1, 2, 3]) is ${total}`);
console.log('chronoscale/engine: sum([1, 2, 3]) = 6');
await shutdown();
