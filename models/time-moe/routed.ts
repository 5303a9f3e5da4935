/**
 * Inference with the experts dispatched by realised routing: the layers run one at a time, and
 * after each router the top-k choices are realised, so every expert runs on its own tokens only
 * (gather → expert → scatter, upstream's per-expert `index_add_` loop) instead of on all of
 * them. Same values as `TimeMoE.decode`, with k/E of its routed-expert work; no gradients (it
 * awaits between layers, which a training graph cannot), so it serves generation.
 */
import { noGrad, realise, reshape, type Tensor } from '../../src/index.ts';
import { selectHead } from './heads.ts';
import { SparseExpertsLayer } from './layers.ts';
import type { LayerCache } from './layers.ts';
import type { TimeMoE, TimeMoECache, TimeMoEForwardOptions } from './model.ts';

/** `model.decode(x, options)` with routed experts; the prediction and the cache come back realised. */
export async function routedDecode(
  model: TimeMoE,
  x: Tensor,
  options: TimeMoEForwardOptions = {},
): Promise<{ prediction: Tensor; cache: TimeMoECache; horizon: number }> {
  const past = options.past ?? null;
  const backbone = model.model;
  let h = noGrad(() => backbone.embed_layer.forward(model.points(x))); // [B, T, H]
  const [b, t, width] = h.shape;
  const positions = noGrad(() => backbone.positions(past?.length ?? 0, t));
  const layers: LayerCache[] = [];
  for (const [i, layer] of backbone.layers.entries()) {
    const ffn = layer.ffn_layer;
    const step = noGrad(() => {
      const { mid, normed, cache } = layer.attend(h, positions, past?.layers[i] ?? null);
      const tokens = reshape(normed, [b * t, width]); // [N, H]
      const routing = ffn instanceof SparseExpertsLayer ? ffn.route(tokens) : null;
      return { mid, tokens, cache, routing };
    });
    layers.push(step.cache);
    if (!(ffn instanceof SparseExpertsLayer)) {
      h = noGrad(() => step.mid.add(ffn.forward(reshape(step.tokens, [b, t, width])))); // [B, T, H]
      continue;
    }
    // The routing's values decide the graph that follows: realise them (with what the rest needs, kept).
    const { values, indices } = step.routing!;
    await realise([values, indices, step.tokens, step.mid, step.cache.key, step.cache.value]);
    h = noGrad(() => step.mid.add(reshape(ffn.dispatch(step.tokens, indices.dataSync(), values.dataSync()), [b, t, width]))); // [B, T, H]
  }
  const choice = selectHead(model.config.horizon_lengths, options.maxHorizon ?? model.config.horizon_lengths[0]);
  const prediction = noGrad(() => {
    const out = model.head(backbone.norm.forward(h), choice.index); // [B, T, h·C]
    return choice.keep < choice.horizon ? out.narrow(2, 0, choice.keep * model.config.input_size) : out; // [B, T, keep·C]
  });
  await realise([prediction, ...layers.flatMap(({ key, value }) => [key, value])]);
  return { prediction, cache: { layers, length: (past?.length ?? 0) + t }, horizon: choice.keep };
}
