"""Writes the Time-MoE parity fixtures from benchmarks/peers/time_moe.py (the PyTorch reference).

Regenerate (deterministic: the same bytes every run):

    /usr/bin/python3 benchmarks/peers/time_moe_fixture.py

Output, a tiny Time-MoE (hidden 16, 2 layers, 2 heads, 4 experts top-2, heads [1, 4, 8]):

- test/fixtures/time-moe-tiny/       config.json (torch_dtype float32), model.safetensors (F32)
- test/fixtures/time-moe-tiny-bf16/  the same weights rounded to BF16 (torch_dtype bfloat16),
                                     sharded: model.safetensors.index.json +
                                     model-00001-of-00002.safetensors + model-00002-of-00002.safetensors
- in each, expected.json, computed in float32 from that folder's weights:
    input       [B=2][T=12] a seeded smooth series (two sines + noise)
    forward     {"1","3","4","8","20"}: [B][T][h] the selected head's output at every position for
                that max_horizon_length (h = the official choice; truncated as upstream when shorter)
    generate    {"6","13","20"}: [B][P] the official greedy loop's new values (6 = 4+1+1,
                13 = 8+4+1, 20 = 8+8+4)
    loss        the training loss of (input[:, :-1], labels input[:, 1:], loss_masks ones):
                mean over heads of the masked Huber losses + 0.02 x aux_loss
    aux_loss    the load-balancing loss alone for that call (all layers' router logits, top-2)

Numbers are written as the shortest decimal that reads back as the same float32.

The weights are seeded (torch.manual_seed) but not all N(0, 0.02): at that scale a 16-wide model
is nearly linear, its attention uniform and its router a near-tie, which would test little and make
top-k choices flip under a different summation order. Each tensor family gets its own spread (see
SPREAD); the script then checks that every routing decision of every expected computation has a
clear margin between the k-th and (k+1)-th expert's logit, and that choices vary across tokens.

Self-checks before writing: KV-cache generation equals full recomputation; one expert with top-1
equals the dense SwiGLU; the sharded load equals the single-file load (and BF16 rounding equals
torch's); the written folders load back to the same weights.
"""

import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from time_moe import (  # noqa: E402
    TimeMoeConfig,
    TimeMoeForPrediction,
    read_checkpoint,
    round_bf16,
    write_checkpoint,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEED = 20246  # the first seed from 20241 whose routing margins pass in both folders
SERIES_SEED = 20242
TINY = {
    "architectures": ["TimeMoeForPrediction"],
    "model_type": "time_moe",
    "torch_dtype": "float32",
    "hidden_size": 16,
    "intermediate_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "num_key_value_heads": 2,
    "num_experts": 4,
    "num_experts_per_tok": 2,
    "horizon_lengths": [1, 4, 8],
    "input_size": 1,
    "max_position_embeddings": 256,
    "rope_theta": 10000,
    "rms_norm_eps": 1e-6,
    "hidden_act": "silu",
    "use_dense": False,
    "apply_aux_loss": True,
    "router_aux_loss_factor": 0.02,
    "initializer_range": 0.02,
    "attention_dropout": 0.0,
    "tie_word_embeddings": False,
}
FORWARD_HORIZONS = [1, 3, 4, 8, 20]
GENERATE_HORIZONS = [6, 13, 20]
# Smallest accepted gap between the k-th and (k+1)-th router logit of any token (the softmax is
# monotonic, so this is the decision's margin; float32 noise in a logit is ~1e-6).
MIN_ROUTING_MARGIN = 1e-3

# Standard deviation per tensor family (the first matching suffix wins); norms are 1 + N(0, s).
SPREAD = [
    ("embed_layer.emb_layer.weight", 1.0),
    ("embed_layer.gate_layer.weight", 1.0),
    ("q_proj.weight", 0.4),
    ("k_proj.weight", 0.4),
    ("v_proj.weight", 0.3),
    ("o_proj.weight", 0.3),
    ("_proj.bias", 0.1),
    ("ffn_layer.gate.weight", 1.0),  # the router: clear top-k choices that vary by token
    ("shared_expert_gate.weight", 0.5),
    ("_proj.weight", 0.25),  # expert and shared-expert SwiGLUs
    ("layernorm.weight", 0.1),
    ("norm.weight", 0.1),
    ("out_layer.weight", 0.3),  # heads with outputs of order 1
]


def spread(name):
    for suffix, std in SPREAD:
        if name.endswith(suffix):
            return std
    raise KeyError(f"no spread for {name}")


def tiny_model(config_values, seed=SEED):
    """The model with seeded weights: upstream's init, then each family redrawn at its spread."""
    torch.manual_seed(seed)
    model = TimeMoeForPrediction(TimeMoeConfig(config_values))
    with torch.no_grad():
        for name, p in model.named_parameters():
            std = spread(name)
            p.copy_(torch.randn(p.shape) * std + (1.0 if name.endswith("norm.weight") else 0.0))
    return model.eval()


def series(batch=2, length=12, seed=SERIES_SEED):
    """A smooth series per row: two sines of different periods and phases plus a little noise."""
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(length, dtype=torch.float32)
    rows = []
    for b in range(batch):
        phase = float(torch.rand(1, generator=g)) * 6.28
        rows.append(torch.sin(2 * np.pi * t / (6 + 3 * b) + phase) * (1.0 + 0.5 * b) + 0.5 * torch.sin(2 * np.pi * t / 11)
                    + 0.1 * torch.randn(length, generator=g) + 0.2 * b)
    return torch.stack(rows)


def routing_margins(router_logits, k):
    """Per token, logit_(k) - logit_(k+1) (and the float32 softmax must separate them too); and
    the set of chosen top-k per token."""
    logits = router_logits.float()
    top = torch.sort(logits, dim=-1, descending=True).values
    probs = torch.sort(torch.softmax(logits, dim=-1), dim=-1, descending=True).values
    margin = torch.where(probs[:, k - 1] > probs[:, k], top[:, k - 1] - top[:, k], torch.zeros(()))
    chosen = torch.topk(logits, k, dim=-1).indices.sort(dim=-1).values
    return margin, chosen


class RoutingAudit:
    """Collects every routing decision a model makes (all layers, every call) through a hook."""

    def __init__(self, model):
        self.margins, self.choices = [], []
        k = model.config.num_experts_per_tok
        for layer in model.model.layers:
            layer.ffn_layer.register_forward_hook(lambda _m, _i, out: self.record(out[1], k))

    def record(self, logits, k):
        margin, chosen = routing_margins(logits.detach(), k)
        self.margins.append(margin)
        self.choices.append(chosen)

    def check(self, label):
        smallest = float(torch.cat(self.margins).min())
        distinct = len({tuple(c.tolist()) for c in torch.cat(self.choices)})
        if smallest < MIN_ROUTING_MARGIN:
            raise SystemExit(f"{label}: a routing decision is a near-tie (margin {smallest:.2e}); change SEED or SPREAD")
        if distinct < 3:
            raise SystemExit(f"{label}: only {distinct} distinct top-k sets across tokens; change SEED or SPREAD")
        return smallest, distinct


def f32(values):
    """Nested lists of the shortest decimals that read back as the same float32 values."""
    if isinstance(values, torch.Tensor):
        values = values.detach().to(torch.float32).numpy()
    if isinstance(values, np.ndarray) and values.ndim > 0:
        return [f32(v) for v in values]
    return float(str(np.float32(values)))


def expected(model, x):
    with torch.no_grad():
        forward = {str(m): f32(model(x, max_horizon_length=m).logits) for m in FORWARD_HORIZONS}
        generate = {str(p): f32(model.generate(x, p)[:, -p:]) for p in GENERATE_HORIZONS}
        out = model(x[:, :-1], labels=x[:, 1:], loss_masks=torch.ones_like(x[:, 1:]))
    return {"input": f32(x), "forward": forward, "generate": generate, "loss": f32(out.loss), "aux_loss": f32(out.aux_loss)}


def write_json(path, obj):
    """One top-level key a line (diffs stay readable), the arrays compact."""
    lines = [f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in obj.items()]
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def write_config(folder, values):
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(values, f, indent=2)
        f.write("\n")


# -- self-checks -------------------------------------------------------------------------------


def check_cache(model, x):
    """The KV-cache greedy loop equals recomputing the whole sequence at every step."""
    worst = 0.0
    for p in GENERATE_HORIZONS:
        with_cache = model.generate(x, p, use_cache=True)
        without = model.generate(x, p, use_cache=False)
        worst = max(worst, float((with_cache - without).abs().max()))
    if worst > 1e-5:
        raise SystemExit(f"KV-cache generation differs from full recomputation by {worst:.2e}")
    return worst


def check_top1_dense(x):
    """One expert with top-1 (routing weight softmax over one expert = 1) and the shared expert
    switched off (down_proj = 0) is exactly the dense SwiGLU with the expert's weights."""
    sparse_values = dict(TINY, num_experts=1, num_experts_per_tok=1)
    sparse = tiny_model(sparse_values, seed=SEED + 2)
    with torch.no_grad():
        for layer in sparse.model.layers:
            layer.ffn_layer.shared_expert.down_proj.weight.zero_()
    dense = TimeMoeForPrediction(TimeMoeConfig(dict(sparse_values, use_dense=True, apply_aux_loss=False))).eval()
    tensors = {}
    for name, value in sparse.state_dict().items():
        if ".ffn_layer." not in name:
            tensors[name] = value
        elif ".ffn_layer.experts.0." in name:
            tensors[name.replace(".experts.0.", ".")] = value
    dense.load_tensors(tensors)
    with torch.no_grad():
        diff = float((sparse(x, max_horizon_length=8).logits - dense(x, max_horizon_length=8).logits).abs().max())
    if diff > 1e-6:
        raise SystemExit(f"one expert top-1 differs from the dense SwiGLU by {diff:.2e}")
    return diff


def check_checkpoints(model):
    """Single file and two shards read back bit-identical (F32); BF16 rounding equals torch's."""
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    with tempfile.TemporaryDirectory() as tmp:
        one, two = os.path.join(tmp, "one"), os.path.join(tmp, "two")
        os.makedirs(one)
        os.makedirs(two)
        write_checkpoint(one, state, "F32", 1)
        write_checkpoint(two, state, "F32", 2)
        a, b = read_checkpoint(one), read_checkpoint(two)
        for name, value in state.items():
            if not (torch.equal(a[name], value) and torch.equal(b[name], value)):
                raise SystemExit(f"checkpoint round trip changed {name}")
    for name, value in state.items():
        if not torch.equal(round_bf16(value), value.to(torch.bfloat16).to(torch.float32)):
            raise SystemExit(f"BF16 rounding of {name} differs from torch's")


def check_folder(folder, model):
    """The written folder loads back into the weights the expectations came from."""
    loaded = TimeMoeForPrediction.from_pretrained(folder)
    for name, value in model.state_dict().items():
        if not torch.equal(loaded.state_dict()[name], value):
            raise SystemExit(f"{folder}: {name} does not load back bit-identical")


# -- main --------------------------------------------------------------------------------------


def build_folder(folder, model, x, config_values, dtype, shards):
    audit = RoutingAudit(model)
    data = expected(model, x)
    margin, distinct = audit.check(os.path.basename(folder))
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    write_config(folder, config_values)
    write_checkpoint(folder, {k: v.detach() for k, v in model.state_dict().items()}, dtype, shards)
    write_json(os.path.join(folder, "expected.json"), data)
    check_folder(folder, model)
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    print(f"{os.path.relpath(folder, ROOT)}: {len(os.listdir(folder))} files, {size} bytes; "
          f"loss {data['loss']}, aux {data['aux_loss']}; routing margin >= {margin:.2e}, {distinct} distinct top-k sets")


def main():
    torch.set_num_threads(1)  # one summation order, whatever the machine
    x = series()
    model = tiny_model(TINY)

    print(f"KV cache vs recomputation: max |diff| {check_cache(model, x):.2e}")
    print(f"one expert top-1 vs dense SwiGLU: max |diff| {check_top1_dense(x):.2e}")
    check_checkpoints(model)
    print("checkpoints: single file = two shards (bit-identical), BF16 rounding = torch's")

    build_folder(os.path.join(ROOT, "test/fixtures/time-moe-tiny"), model, x, TINY, "F32", 1)

    bf16 = tiny_model(TINY)
    with torch.no_grad():
        for p in bf16.parameters():
            p.copy_(round_bf16(p))
    check_cache(bf16, x)
    build_folder(os.path.join(ROOT, "test/fixtures/time-moe-tiny-bf16"), bf16, x, dict(TINY, torch_dtype="bfloat16"), "BF16", 2)


if __name__ == "__main__":
    main()
