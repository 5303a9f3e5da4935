/**
 * The forecaster interface covers image models of the next-scale family: context = a class
 * label or partial image, horizon = a target resolution, output = the same SignalForecast with
 * its scale pyramid. A toy class-mean image model proves it at the type level (this file must
 * type-check: `npm run typecheck`) and at run time.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type {
  Capabilities,
  Extent,
  Forecaster,
  ImageContext,
  ImageForecaster,
  ImageTrainingData,
  ResolutionHorizon,
  SeriesForecaster,
  SignalForecast,
  StepsHorizon,
} from '../../src/index.ts';

/** Average-pools an image [h, w] (one channel) to [sh, sw]. */
function pool(values: Float32Array, [h, w]: readonly [number, number], [sh, sw]: readonly [number, number]): Float32Array {
  const out = new Float32Array(sh * sw);
  for (let i = 0; i < sh; i++) {
    for (let j = 0; j < sw; j++) {
      let sum = 0;
      let n = 0;
      for (let y = Math.floor((i * h) / sh); y < Math.floor(((i + 1) * h) / sh); y++) {
        for (let x = Math.floor((j * w) / sw); x < Math.floor(((j + 1) * w) / sw); x++) {
          sum += values[y * w + x];
          n++;
        }
      }
      out[i * sw + j] = sum / n;
    }
  }
  return out;
}

/** Predicts the mean training image of the requested class, with a coarse-to-fine pyramid. */
class ClassMeanImage implements ImageForecaster {
  readonly name = 'ClassMean';
  readonly family = 'classMean';
  readonly config = {};
  readonly capabilities: Capabilities = {
    multivariate: false,
    futureCovariates: false,
    pastCovariates: false,
    probabilistic: 'none',
    zeroShot: false,
    horizon: 'any',
    context: null,
    signal: '2d',
  };
  private means = new Map<number, { extent: readonly [number, number]; values: Float32Array }>();

  async fit(data: ImageTrainingData): Promise<void> {
    const sums = new Map<number, { extent: readonly [number, number]; values: Float32Array; n: number }>();
    data.images.forEach((image, i) => {
      const label = data.labels?.[i] ?? 0;
      const entry = sums.get(label) ?? { extent: image.extent, values: new Float32Array(image.values.length), n: 0 };
      image.values.forEach((v, k) => (entry.values[k] += v));
      entry.n++;
      sums.set(label, entry);
    });
    for (const [label, { extent, values, n }] of sums) this.means.set(label, { extent, values: values.map((v) => v / n) });
  }

  async predict(contexts: readonly ImageContext[], horizon: ResolutionHorizon): Promise<SignalForecast<ResolutionHorizon>[]> {
    return contexts.map((context) => {
      const mean = this.means.get(context.label ?? 0)!;
      const target: readonly [number, number] = [horizon.height, horizon.width];
      const point = { extent: target as Extent<ResolutionHorizon>, channels: 1, values: pool(mean.values, mean.extent, target) };
      const sizes: (readonly [number, number])[] = [[1, 1], [2, 2], target];
      return {
        id: context.id,
        point,
        quantiles: new Map(),
        scales: sizes.map((size) => ({
          extent: size as Extent<ResolutionHorizon>,
          point: { extent: size as Extent<ResolutionHorizon>, channels: 1, values: pool(mean.values, mean.extent, size) },
        })),
      };
    });
  }

  state() {
    return new Map();
  }

  loadState(): void {}
}

// Type-level checks: both kinds are Forecasters of the same shape, differing only in their types.
type IsForecaster<T> = T extends Forecaster<infer _D, infer _C, infer _H> ? true : false;
const imageIsForecaster: IsForecaster<ClassMeanImage> = true;
const seriesIsForecaster: IsForecaster<SeriesForecaster> = true;
const imageExtent: Extent<ResolutionHorizon> = [4, 4];
const seriesExtent: Extent<StepsHorizon> = [96];
// @ts-expect-error a series horizon has one extent axis, not two
const wrongSeriesExtent: Extent<StepsHorizon> = [4, 4];
// @ts-expect-error an image model takes a resolution, not a number of steps
const wrongHorizon: Parameters<ClassMeanImage['predict']>[1] = { kind: 'steps', steps: 96 };
void [imageIsForecaster, seriesIsForecaster, imageExtent, seriesExtent, wrongSeriesExtent, wrongHorizon];

test('an image model fits, predicts a target resolution and returns its scale pyramid through the same interface', async () => {
  const model: Forecaster<ImageTrainingData, ImageContext, ResolutionHorizon> = new ClassMeanImage();
  const image = (value: number) => ({ extent: [4, 4] as Extent<ResolutionHorizon>, channels: 1, values: new Float32Array(16).fill(value) });
  await model.fit({ images: [image(1), image(3), image(10)], labels: [0, 0, 1] });
  const [zero, one] = await model.predict(
    [
      { id: 'a', label: 0 },
      { id: 'b', label: 1 },
    ],
    { kind: 'resolution', height: 2, width: 2 },
  );
  assert.equal(Array.from(zero.point.values), [2, 2, 2, 2]);
  assert.equal(Array.from(one.scales[0].point.values), [10]);
  assert.equal(
    zero.scales.map((s) => s.extent),
    [
      [1, 1],
      [2, 2],
      [2, 2],
    ],
  );
});

test.run();
