/**
 * Time-MoE's greedy generation, as the official `TSGenerationMixin._greedy_search`
 * (time_moe/models/ts_generation_mixin.py): each pass asks for the steps that remain, takes the
 * last position's forecast from the head `selectHead` picks (heads 1, 8, 32, 64: 96 = 64 + 32,
 * 720 = 11 × 64 + 8 + 8), and feeds that chunk back as new points through the key/value cache.
 * Values go in and come out raw: any normalisation is the caller's (the forecaster's).
 */
import { concat, noGrad, realise, reshape, narrow, tensor, type Tensor } from '../../src/index.ts';
import { generationPlan } from './heads.ts';
import { routedDecode } from './routed.ts';
import type { TimeMoE, TimeMoECache } from './model.ts';

export interface GenerateOptions {
  /**
   * 'routed' (default): each expert runs on the tokens routed to it (routed.ts); 'dense': the
   * one-graph forward of `TimeMoE.decode`, every expert on every token. Same values.
   */
  experts?: 'routed' | 'dense';
}

/**
 * Forecasts `horizon` points after `context` [B, T] (or [B, T, C]) → [B, horizon] (or
 * [B, horizon, C]), realised. Plain arrays are taken as [B][T] values. Runs without gradients
 * and with dropout off; the model's training mode is restored afterwards.
 */
export async function generate(
  model: TimeMoE,
  context: Tensor | readonly (readonly number[])[],
  horizon: number,
  options: GenerateOptions = {},
): Promise<Tensor> {
  const x = Array.isArray(context) ? tensor(context as number[][]) : (context as Tensor);
  if (x.rank !== 2 && x.rank !== 3) throw new RangeError(`generate: expected a context [B, T] or [B, T, C], got [${x.shape.join(', ')}]`);
  if (x.shape[1] < 1) throw new RangeError('generate: the context is empty');
  // A missing value would spread through attention to every forecast: refuse it by position.
  const values = await x.data();
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const perRow = values.length / x.shape[0];
    const where =
      x.rank === 2
        ? `[${Math.floor(bad / perRow)}, ${bad % perRow}]`
        : `[${Math.floor(bad / perRow)}, ${Math.floor((bad % perRow) / x.shape[2])}, ${bad % x.shape[2]}]`;
    throw new RangeError(`generate: context value ${where} is ${values[bad]}; fill or drop missing values before forecasting`);
  }
  const channels = model.config.input_size;
  const plan = generationPlan(model.config.horizon_lengths, horizon);
  const wasTraining = model.training;
  model.eval();
  try {
    let input = x;
    let past: TimeMoECache | null = null;
    let done = 0;
    const chunks: Tensor[] = [];
    for (const steps of plan) {
      const decoded: { prediction: Tensor; cache: TimeMoECache } =
        (options.experts ?? 'routed') === 'routed'
          ? await routedDecode(model, input, { maxHorizon: horizon - done, past })
          : noGrad(() => model.decode(input, { maxHorizon: horizon - done, past }));
      const [b, t] = decoded.prediction.shape;
      const last = reshape(narrow(decoded.prediction, 1, t - 1, 1), x.rank === 2 ? [b, steps] : [b, steps, channels]); // [B, steps(, C)]
      // Realise the chunk with the cache, so the next pass starts from stored keys and values.
      await realise([last, ...decoded.cache.layers.flatMap(({ key, value }) => [key, value])]);
      chunks.push(last);
      input = last;
      past = decoded.cache;
      done += steps;
    }
    const out = chunks.length === 1 ? chunks[0] : concat(chunks, 1); // [B, horizon(, C)]
    await realise([out]);
    return out;
  } finally {
    model.train(wasTraining);
  }
}
