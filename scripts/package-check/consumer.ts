// A user's TypeScript, type-checked (not run) by scripts/test-package.mjs against the installed
// package's .d.ts with tsconfig.json beside it: strict NodeNext, noUncheckedIndexedAccess,
// exactOptionalPropertyTypes, skipLibCheck off, no DOM lib. It touches every entry.
import { DLinear, Forecast, SeasonalNaive, loadForecast, mae, type ForecastResult, type Panel } from 'chronoscale';
import { AdamW, Linear, mseLoss, tensor, type Tensor } from 'chronoscale/engine';
import { createSequenceModel } from 'chronoscale/s4';
import { SpaceTimeForecaster } from 'chronoscale/spacetime';
import { TimeMoE, TimeMoEForecaster, generate, type TimeMoEForecasterConfig } from 'chronoscale/time-moe';
import { kernelNames } from 'chronoscale/kernels';

const forecast = new Forecast({ models: [new DLinear({ lookback: 96, horizon: 24 }), new SeasonalNaive({ horizon: 24, season: 24 })] });
await forecast.fit('series.csv');
const fitted: Forecast = forecast;
const result: ForecastResult = await fitted.predict();
const history: Panel | null = fitted.history;
const first = result.get('DLinear', 's1').point.values[0];
const rows: object[] = result.toTable().objects({ limit: 3 });
const error: number = mae(new Float32Array([1, 2]), new Float32Array([1, 3]));
const loaded: Forecast = await loadForecast('runs/model');

const layer = new Linear(3, 1);
const optimizer = new AdamW(layer.parameters(), { lr: 0.01 });
const loss: Tensor = mseLoss(layer.forward(tensor([[1, 2, 3]])), tensor([[1]]));
await loss.backward();
await optimizer.step();

const model = createSequenceModel({
  input: { kind: 'tokens', vocabulary: 18 },
  dModel: 8,
  layers: 1,
  classes: 10,
  layer: { kernel: 's4d', dState: 4, lMax: 64 },
});
const spacetime = new SpaceTimeForecaster({ lookback: 96, horizon: 24 });
const timeMoEConfig: TimeMoEForecasterConfig = { weights: 'checkpoints/TimeMoE-50M', lookback: 512, horizon: 96, normalization: 'none' };
const timeMoE = new TimeMoEForecaster(timeMoEConfig);
const network: TimeMoE = await TimeMoE.fromPretrained('checkpoints/TimeMoE-50M');
const next: Tensor = await generate(network, [[1, 2, 3]], 4);
export const seen = [history, first, rows, error, loaded, model, spacetime, timeMoE, next, kernelNames.length];
