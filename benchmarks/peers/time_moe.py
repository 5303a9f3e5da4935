"""Time-MoE in plain PyTorch: the official model's inference, generation and training loss.

A minimal, dependency-free re-implementation (torch + numpy only: no `transformers`, no
`safetensors` package) of Time-MoE/Time-MoE `time_moe/models/modeling_time_moe.py` (eager
attention) and `ts_generation_mixin.py` (the greedy loop that HF transformers 4.40 dispatches
`generate` to), written from reading them. It is chronoscale's reference for two things:

- the parity fixtures under test/fixtures/time-moe-tiny* (benchmarks/peers/time_moe_fixture.py);
- the PyTorch peer of `npm run bench:timemoe` (forward and generate of the TimeMoE-50M shape).

What it reproduces, with upstream's numerics:
- config from a Hugging Face `config.json` (TimeMoeConfig's keys and defaults);
- point-wise SwiGLU embedding `SiLU(gate_layer x) * emb_layer x`;
- pre-norm decoder layers; RMSNorm computed in float32 and cast back before the weight;
- rotary embedding, HF "rotate_half" variant: inv_freq = 1 / theta^(2i/hd), the cos/sin table
  from float32 `outer(t, inv_freq)`, positions continuing after the KV cache;
- q/k/v projections with bias, o without; eager causal attention, the mask added as
  finfo.min (not -inf), softmax in float32;
- the sparse MoE: float32 softmax router, top-k NOT renormalised, experts SwiGLU of width
  intermediate_size // k (gather -> expert -> index_add scatter, as upstream), plus the shared
  expert times sigmoid(shared_expert_gate(x)); or the dense SwiGLU (`use_dense`);
- final norm; heads `lm_heads.{j}.out_layer` and the official head selection;
- the greedy generation loop with KV cache (predicted values fed back; P=96 -> 64 + 32);
- the training loss: per-head Huber (delta 2) on right-padded, unfolded targets with loss masks,
  mean over heads, + router_aux_loss_factor x `load_balancing_loss` (quirks included, see there).

Parameter names are the official state-dict names, so `state_dict()` is a checkpoint's tensor
map; `from_pretrained` / `save_pretrained` read and write HF folders (model.safetensors or a
sharded model.safetensors.index.json; F32, F16 and BF16).

Quirks of upstream kept or noted (search "[QUIRK]"): the in-place `unsqueeze_` of 2-D inputs and
labels is NOT reproduced (callers' tensors are left alone, results are the same); everything
else that changes numbers is.

Usage as a library:  from time_moe import TimeMoeForPrediction
CLI:  python3 time_moe.py --info
      python3 time_moe.py --bench [--config 50m|DIR] [--threads N] [--batch 1,8] [--context 512]
Best CPU configuration (as bench:s4's peer): OpenBLAS's pthread build first on LD_LIBRARY_PATH
with OPENBLAS_NUM_THREADS=1, torch.set_num_threads(N) (`configure_threads`), glibc malloc's mmap
and trim thresholds at their maximum (GLIBC_TUNABLES), all set by the caller's environment.
"""

import json
import math
import os
import platform
import struct
import sys
import time
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ------------------------------------------------------------------------------------------------
# Configuration


# TimeMoeConfig's constructor defaults (configuration_time_moe.py).
CONFIG_DEFAULTS = {
    "input_size": 1,
    "hidden_size": 4096,
    "intermediate_size": 22016,
    "horizon_lengths": [1],
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": None,  # None -> num_attention_heads
    "hidden_act": "silu",
    "num_experts_per_tok": 2,
    "num_experts": 1,
    "max_position_embeddings": 32768,
    "initializer_range": 0.02,
    "rms_norm_eps": 1e-6,
    "use_cache": True,
    "use_dense": False,
    "rope_theta": 10000,
    "attention_dropout": 0.0,
    "apply_aux_loss": True,
    "router_aux_loss_factor": 0.02,
    "tie_word_embeddings": False,
}

# The published TimeMoE-50M config.json (huggingface.co/Maple728/TimeMoE-50M), model keys only.
TIME_MOE_50M = {
    "architectures": ["TimeMoeForPrediction"],
    "model_type": "time_moe",
    "torch_dtype": "bfloat16",
    "hidden_size": 384,
    "intermediate_size": 1536,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "num_key_value_heads": 12,
    "num_experts": 8,
    "num_experts_per_tok": 2,
    "horizon_lengths": [1, 8, 32, 64],
    "input_size": 1,
    "max_position_embeddings": 4096,
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


class TimeMoeConfig:
    """The model's hyper-parameters, read from a config.json dict; unknown keys are kept as-is."""

    def __init__(self, values: dict):
        merged = dict(CONFIG_DEFAULTS)
        merged.update(values)
        if isinstance(merged["horizon_lengths"], int):
            merged["horizon_lengths"] = [merged["horizon_lengths"]]
        if merged["num_key_value_heads"] is None:
            merged["num_key_value_heads"] = merged["num_attention_heads"]
        if merged["hidden_act"] != "silu":
            raise ValueError(f"hidden_act {merged['hidden_act']!r} is not supported (the released models use silu)")
        # Upstream asserts exactly this (the XOR of the two flags).
        if bool(merged["use_dense"]) == bool(merged["apply_aux_loss"]):
            raise ValueError("use_dense and apply_aux_loss cannot both be true or both be false (TimeMoeConfig's assert)")
        self.values = merged
        for key, value in merged.items():
            setattr(self, key, value)
        if self.hidden_size % self.num_attention_heads:
            raise ValueError(f"hidden_size {self.hidden_size} is not a multiple of num_attention_heads {self.num_attention_heads}")
        self.head_dim = self.hidden_size // self.num_attention_heads

    @classmethod
    def from_file(cls, path: str) -> "TimeMoeConfig":
        with open(path) as f:
            return cls(json.load(f))

    def to_dict(self) -> dict:
        return dict(self.values)


# ------------------------------------------------------------------------------------------------
# Layers (attribute names = official state-dict names)


class RMSNorm(nn.Module):
    """TimeMoeRMSNorm: normalise in float32, cast back to the input dtype, then scale."""

    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x32 = x.to(torch.float32)
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x32.to(dtype)


class InputEmbedding(nn.Module):
    """Point-wise SwiGLU embedding: one token per time point."""

    def __init__(self, config: TimeMoeConfig):
        super().__init__()
        self.emb_layer = nn.Linear(config.input_size, config.hidden_size, bias=False)
        self.gate_layer = nn.Linear(config.input_size, config.hidden_size, bias=False)

    def forward(self, x):
        return F.silu(self.gate_layer(x)) * self.emb_layer(x)


class SwiGLU(nn.Module):
    """TimeMoeTemporalBlock: down(SiLU(gate(x)) * up(x)), no biases."""

    def __init__(self, hidden: int, width: int):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, width, bias=False)
        self.up_proj = nn.Linear(hidden, width, bias=False)
        self.down_proj = nn.Linear(width, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DenseFFN(SwiGLU):
    """TimeMoeMLP (use_dense): the SwiGLU of width intermediate_size; no router logits."""

    def forward(self, x):
        return super().forward(x), None


class SparseExperts(nn.Module):
    """TimeMoeSparseExpertsLayer: routed experts (top-k, not renormalised) + gated shared expert."""

    def __init__(self, config: TimeMoeConfig):
        super().__init__()
        self.top_k = config.num_experts_per_tok
        self.num_experts = config.num_experts
        width = config.intermediate_size // self.top_k
        self.gate = nn.Linear(config.hidden_size, config.num_experts, bias=False)
        self.experts = nn.ModuleList([SwiGLU(config.hidden_size, width) for _ in range(config.num_experts)])
        self.shared_expert = SwiGLU(config.hidden_size, config.intermediate_size)
        self.shared_expert_gate = nn.Linear(config.hidden_size, 1, bias=False)

    def forward(self, x):
        batch, length, hidden = x.shape
        flat = x.reshape(-1, hidden)
        router_logits = self.gate(flat)  # (N, E)
        weights = F.softmax(router_logits, dim=1, dtype=torch.float32)
        weights, chosen = torch.topk(weights, self.top_k, dim=-1)  # (N, k); norm_topk_prob = False
        weights = weights.to(flat.dtype)
        out = torch.zeros_like(flat)
        # Gather -> expert -> scatter, one expert at a time (the only Python loop of a forward);
        # tokens in upstream's order (slot-major: every token's first choice, then its second).
        by_slot = chosen.t()
        for e, expert in enumerate(self.experts):
            slot, token = torch.where(by_slot == e)
            if token.numel() == 0:
                continue
            y = expert(flat.index_select(0, token)) * weights[token, slot, None]
            out.index_add_(0, token, y.to(flat.dtype))
        out = out + torch.sigmoid(self.shared_expert_gate(flat)) * self.shared_expert(flat)
        return out.reshape(batch, length, hidden), router_logits


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Rotary:
    """The cos/sin table of TimeMoeRotaryEmbedding (float32, grown on demand, not a parameter)."""

    def __init__(self, head_dim: int, theta: float, length: int):
        # Upstream: 1.0 / (base ** (arange(0, dim, 2, int64).float() / dim)), all float32.
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
        self.cos = self.sin = None
        self._build(length)

    def _build(self, length: int):
        t = torch.arange(length, dtype=torch.int64).type_as(self.inv_freq)
        freqs = torch.outer(t, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.cos, self.sin = emb.cos(), emb.sin()

    def at(self, positions, dtype):
        """cos, sin at the given positions, shaped to broadcast over (B, heads, T, hd)."""
        needed = int(positions.max()) + 1
        if needed > self.cos.shape[0]:
            self._build(needed)
        return self.cos[positions].unsqueeze(1).to(dtype), self.sin[positions].unsqueeze(1).to(dtype)


class Attention(nn.Module):
    """TimeMoeAttention (eager): q/k/v with bias, o without; K is cached after rotation."""

    def __init__(self, config: TimeMoeConfig):
        super().__init__()
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = config.head_dim
        hidden = config.hidden_size
        self.q_proj = nn.Linear(hidden, self.heads * self.head_dim, bias=True)
        self.k_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=True)
        self.v_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=True)
        self.o_proj = nn.Linear(self.heads * self.head_dim, hidden, bias=False)

    def forward(self, x, cos, sin, mask, past: Optional[Tuple[torch.Tensor, torch.Tensor]]):
        batch, length, _ = x.shape
        q = self.q_proj(x).view(batch, length, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        present = (k, v)
        if self.kv_heads != self.heads:  # repeat_kv (grouped-query attention)
            k = k.repeat_interleave(self.heads // self.kv_heads, dim=1)
            v = v.repeat_interleave(self.heads // self.kv_heads, dim=1)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if mask is not None:
            scores = scores + mask
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(batch, length, self.heads * self.head_dim)
        return self.o_proj(out), present


class DecoderLayer(nn.Module):
    def __init__(self, config: TimeMoeConfig):
        super().__init__()
        self.self_attn = Attention(config)
        self.ffn_layer = DenseFFN(config.hidden_size, config.intermediate_size) if config.use_dense else SparseExperts(config)
        self.input_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)

    def forward(self, h, cos, sin, mask, past):
        attn, present = self.self_attn(self.input_layernorm(h), cos, sin, mask, past)
        h = h + attn
        ffn, router_logits = self.ffn_layer(self.post_attention_layernorm(h))
        return h + ffn, present, router_logits


class TimeMoeModel(nn.Module):
    def __init__(self, config: TimeMoeConfig):
        super().__init__()
        self.embed_layer = InputEmbedding(config)
        self.layers = nn.ModuleList([DecoderLayer(config) for _ in range(config.num_hidden_layers)])
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.rotary = Rotary(config.head_dim, config.rope_theta, config.max_position_embeddings)


class OutputLayer(nn.Module):
    def __init__(self, hidden: int, horizon: int, input_size: int):
        super().__init__()
        self.out_layer = nn.Linear(hidden, input_size * horizon, bias=False)

    def forward(self, x):
        return self.out_layer(x)


def causal_mask(batch: int, length: int, past: int, attention_mask, dtype):
    """The additive 4-D mask of _prepare_4d_causal_attention_mask: 0 where visible, finfo.min not."""
    if attention_mask is None and length == 1:
        return None
    low = torch.finfo(dtype).min
    total = past + length
    rows = torch.arange(length).unsqueeze(1) + past
    hidden = torch.arange(total).unsqueeze(0) > rows  # (T, past+T)
    hidden = hidden.expand(batch, 1, length, total)
    if attention_mask is not None:
        hidden = hidden | (attention_mask[:, None, None, :total] == 0)
    return torch.zeros(batch, 1, length, total, dtype=dtype).masked_fill(hidden, low)


def select_horizon(horizon_lengths: List[int], max_horizon_length: Optional[int]) -> Tuple[int, int]:
    """Official head selection: (head length, kept length). Start at the first head, walk the list
    and keep the last h <= max before the first h > max; the output is truncated to max when even
    the first head is longer."""
    if max_horizon_length is None:
        return horizon_lengths[0], horizon_lengths[0]
    chosen = horizon_lengths[0]
    for h in horizon_lengths[1:]:
        if h > max_horizon_length:
            break
        chosen = h
    return chosen, min(chosen, max_horizon_length)


def load_balancing_loss(router_logits: List[torch.Tensor], top_k: int, num_experts: int, attention_mask=None):
    """Upstream's load_balancing_loss_func (Switch Transformer eqs. 4-6), quirks included:

    - all layers' router logits are concatenated and pooled (one fraction per expert over
      layers x tokens, not a mean of per-layer losses);
    - the fraction is per top-k slot: tokens_per_expert has shape (k, E) and the loss sums over
      both, so perfect balance gives k (not 1) [QUIRK];
    - the router probabilities are the full softmax (not the top-k weights), softmax in the
      logits' dtype (float32 here), and the softmax is recomputed from the logits;
    - with an attention mask, the mask is expanded with a hard-coded 2 in place of top_k [QUIRK]:
      top-2 is right, top-1 broadcasts and counts every token twice, k > 2 is a shape error (as
      upstream). TimeMoeForPrediction passes the forward's attention_mask, None in training.
    """
    if not router_logits or router_logits[0] is None:
        return 0.0
    logits = torch.cat(list(router_logits), dim=0)
    probs = F.softmax(logits, dim=-1)
    _, chosen = torch.topk(probs, top_k, dim=-1)
    expert_mask = F.one_hot(chosen, num_experts)  # (N, k, E)
    if attention_mask is None:
        tokens_per_expert = torch.mean(expert_mask.float(), dim=0)
        router_prob_per_expert = torch.mean(probs, dim=0)
    else:
        batch, length = attention_mask.shape
        layers = logits.shape[0] // (batch * length)
        m = attention_mask[None, :, :, None, None].expand((layers, batch, length, 2, num_experts)).reshape(-1, 2, num_experts)
        tokens_per_expert = torch.sum(expert_mask.float() * m, dim=0) / torch.sum(m, dim=0)
        m = attention_mask[None, :, :, None].expand((layers, batch, length, num_experts)).reshape(-1, num_experts)
        router_prob_per_expert = torch.sum(probs * m, dim=0) / torch.sum(m, dim=0)
    return torch.sum(tokens_per_expert * router_prob_per_expert.unsqueeze(0)) * num_experts


@dataclass
class Output:
    """What TimeMoeForPrediction.forward gives (MoeCausalLMOutputWithPast's fields we use)."""

    logits: torch.Tensor  # (B, T, input_size * h): the chosen head (or the first head when training)
    past_key_values: Optional[List[Tuple[torch.Tensor, torch.Tensor]]]
    router_logits: List[Optional[torch.Tensor]]
    loss: Optional[torch.Tensor] = None  # ar_loss + router_aux_loss_factor * aux_loss
    ar_loss: Optional[torch.Tensor] = None  # mean over heads of the masked Huber losses
    aux_loss: Optional[torch.Tensor] = None  # load-balancing loss alone (upstream returns None here)


class TimeMoeForPrediction(nn.Module):
    """The whole model: `model` (embedding, layers, norm) and `lm_heads`, official names."""

    def __init__(self, config: TimeMoeConfig):
        super().__init__()
        self.config = config
        self.model = TimeMoeModel(config)
        self.lm_heads = nn.ModuleList([OutputLayer(config.hidden_size, h, config.input_size) for h in config.horizon_lengths])
        self.horizon_length_map = {h: i for i, h in enumerate(config.horizon_lengths)}
        self.reset_parameters()

    def reset_parameters(self, std: Optional[float] = None):
        """_init_weights: every Linear weight ~ N(0, initializer_range), biases 0, norms 1."""
        std = self.config.initializer_range if std is None else std
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, 0.0, std)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, RMSNorm):
                nn.init.ones_(module.weight)

    def hidden(self, x, past_key_values=None, attention_mask=None, position_ids=None, use_cache=False):
        """The decoder trunk: final-normed hidden states, the new cache, each layer's router logits."""
        if x.dim() == 2:  # [QUIRK] upstream unsqueeze_s the caller's tensor in place; we do not
            x = x.unsqueeze(-1)
        batch, length, _ = x.shape
        past = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        if position_ids is None:
            position_ids = torch.arange(past, past + length).view(1, length)
        cos, sin = self.model.rotary.at(position_ids, x.dtype)
        mask = causal_mask(batch, length, past, attention_mask, x.dtype)
        h = self.model.embed_layer(x)
        cache, router_logits = [], []
        for i, layer in enumerate(self.model.layers):
            h, present, logits = layer(h, cos, sin, mask, None if past_key_values is None else past_key_values[i])
            cache.append(present)
            router_logits.append(logits)
        return self.model.norm(h), (cache if use_cache else None), router_logits

    def forward(self, input_ids, attention_mask=None, position_ids=None, past_key_values=None, use_cache=False,
                labels=None, loss_masks=None, max_horizon_length=None) -> Output:
        """TimeMoeForPrediction.forward. Without labels: the selected head at every position,
        (B, T, input_size * h). With labels (B, T[, input_size]): the training loss of every head."""
        h, cache, router_logits = self.hidden(input_ids, past_key_values, attention_mask, position_ids, use_cache)
        if labels is None:
            horizon, keep = select_horizon(self.config.horizon_lengths, max_horizon_length)
            logits = self.lm_heads[self.horizon_length_map[horizon]](h)
            if keep < horizon:
                logits = logits[:, :, : self.config.input_size * keep]
            return Output(logits, cache, router_logits)
        ar_loss, first = 0.0, None
        for head, horizon in zip(self.lm_heads, self.config.horizon_lengths):
            predictions = head(h)
            first = predictions if first is None else first
            ar_loss = ar_loss + self.ar_loss(predictions, labels, loss_masks, horizon)
        ar_loss = ar_loss / len(self.config.horizon_lengths)
        loss, aux = ar_loss, None
        if self.config.apply_aux_loss:
            aux = load_balancing_loss(router_logits, self.config.num_experts_per_tok, self.config.num_experts, attention_mask)
            loss = ar_loss + self.config.router_aux_loss_factor * aux
        return Output(first, cache, router_logits, loss, ar_loss, aux)

    @staticmethod
    def ar_loss(predictions, labels, loss_masks, horizon):
        """calc_ar_loss: target at position t is labels[t : t+h], right-padded with h-1 zeros (and the
        mask padded with zeros too); Huber (delta 2), masked mean. Without loss_masks the padded
        zeros count as targets, as upstream [QUIRK]."""
        if labels.dim() == 2:
            labels = labels.unsqueeze(-1)
        if loss_masks is not None and loss_masks.dim() == 2:
            loss_masks = loss_masks.unsqueeze(-1)
        if horizon > 1:
            batch, length, _ = predictions.shape
            predictions = predictions.view(batch, length, horizon, -1)
            labels = F.pad(labels.transpose(-1, -2), (0, horizon - 1)).unfold(-1, horizon, 1).permute(0, 2, 3, 1)
            if loss_masks is not None:
                loss_masks = F.pad(loss_masks.transpose(-1, -2), (0, horizon - 1)).unfold(-1, horizon, 1).permute(0, 2, 3, 1)
        losses = F.huber_loss(predictions, labels, reduction="none", delta=2.0)
        if loss_masks is None:
            return losses.mean()
        return (losses * loss_masks).sum() / loss_masks.sum()

    @torch.no_grad()
    def generate(self, inputs, max_new_tokens: int, use_cache: bool = True):
        """TSGenerationMixin._greedy_search: each step runs the new tokens through the cache with
        max_horizon_length = what remains, appends the last position's prediction (values, no
        argmax) and feeds it back. Returns (B, T + P) for input_size 1, else (B, T + P, input_size).
        use_cache=False recomputes the whole sequence each step (same numbers, for checks)."""
        seq = inputs.unsqueeze(-1) if inputs.dim() == 2 else inputs
        batch, max_length = seq.shape[0], seq.shape[1] + max_new_tokens
        new, cache = seq, None
        while seq.shape[1] < max_length:
            out = self.forward(new if use_cache else seq, past_key_values=cache, use_cache=use_cache,
                               max_horizon_length=max_length - seq.shape[1])
            new = out.logits[:, -1, :].reshape(batch, -1, self.config.input_size)
            seq = torch.cat([seq, new], dim=1)
            cache = out.past_key_values
        seq = seq[:, :max_length]
        return seq.squeeze(-1) if seq.shape[-1] == 1 else seq

    # -- checkpoints ---------------------------------------------------------------------------

    @classmethod
    def from_pretrained(cls, folder: str, dtype=torch.float32) -> "TimeMoeForPrediction":
        """A model from a HF folder: config.json + model.safetensors or the sharded index."""
        config = TimeMoeConfig.from_file(os.path.join(folder, "config.json"))
        model = cls(config)
        model.load_tensors(read_checkpoint(folder))
        return model.to(dtype)

    def load_tensors(self, tensors: dict):
        """Strict load: every official name present with its shape, nothing unknown."""
        own = self.state_dict()
        missing = sorted(set(own) - set(tensors))
        unknown = sorted(set(tensors) - set(own))
        if missing:
            raise ValueError(f"checkpoint lacks tensor {missing[0]} ({len(missing)} missing)")
        if unknown:
            raise ValueError(f"checkpoint has unknown tensor {unknown[0]} ({len(unknown)} unknown)")
        for name, value in tensors.items():
            if tuple(value.shape) != tuple(own[name].shape):
                raise ValueError(f"tensor {name} has shape {list(value.shape)}, expected {list(own[name].shape)}")
        self.load_state_dict({k: v.to(own[k].dtype) for k, v in tensors.items()})

    def save_pretrained(self, folder: str, dtype: str = "F32", shards: int = 1, config_extra: Optional[dict] = None):
        """Writes config.json (torch_dtype from dtype) and the weights, in one file or `shards`."""
        os.makedirs(folder, exist_ok=True)
        config = self.config.to_dict()
        config.setdefault("architectures", ["TimeMoeForPrediction"])
        config.setdefault("model_type", "time_moe")
        config["torch_dtype"] = {"F32": "float32", "BF16": "bfloat16", "F16": "float16"}[dtype]
        config.update(config_extra or {})
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
            f.write("\n")
        write_checkpoint(folder, {k: v.detach() for k, v in self.state_dict().items()}, dtype, shards)


# ------------------------------------------------------------------------------------------------
# safetensors by hand: u64 LE header length, JSON header {name: {dtype, shape, data_offsets}} with
# "__metadata__", then the raw little-endian data (offsets relative to the end of the header).

DTYPE_BYTES = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}


def to_bf16_bits(values: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bit patterns, round to nearest even (NaN kept a quiet NaN)."""
    bits = np.ascontiguousarray(values, dtype="<f4").view("<u4").astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(values)
    rounded[nan] = ((bits[nan] >> 16) | 0x40).astype(np.uint16)
    return rounded


def round_bf16(t: torch.Tensor) -> torch.Tensor:
    """The float32 tensor rounded to the nearest bfloat16 value, kept in float32."""
    bits = to_bf16_bits(t.detach().numpy()).astype(np.uint32) << 16
    return torch.from_numpy(bits.view("<f4").reshape(t.shape).copy())


def encode(t: torch.Tensor, dtype: str) -> bytes:
    a = t.detach().to(torch.float32).contiguous().numpy()
    if dtype == "F32":
        return a.astype("<f4").tobytes()
    if dtype == "F16":
        return a.astype("<f2").tobytes()
    if dtype == "BF16":
        return to_bf16_bits(a).astype("<u2").tobytes()
    raise ValueError(f"cannot write dtype {dtype}")


def decode(raw: bytes, dtype: str, shape) -> torch.Tensor:
    if dtype == "F32":
        a = np.frombuffer(raw, dtype="<f4")
    elif dtype == "F16":
        a = np.frombuffer(raw, dtype="<f2").astype(np.float32)
    elif dtype == "BF16":
        a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
    elif dtype == "F64":
        a = np.frombuffer(raw, dtype="<f8").astype(np.float32)
    else:
        raise ValueError(f"unsupported safetensors dtype {dtype}")
    return torch.from_numpy(a.reshape(shape).copy())


def write_safetensors(path: str, tensors: dict, dtype: str):
    """One file, tensors in name order, header padded with spaces to 8 bytes (as safetensors does)."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        blob = encode(tensors[name], dtype)
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path: str) -> dict:
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    body = data[8 + size :]
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        out[name] = decode(body[start:end], spec["dtype"], spec["shape"])
    return out


def write_checkpoint(folder: str, tensors: dict, dtype: str = "F32", shards: int = 1):
    """model.safetensors, or `shards` files model-0000i-of-0000n.safetensors + the index (names in
    order, split into runs of about equal byte size)."""
    if shards == 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), tensors, dtype)
        return
    names = sorted(tensors)
    sizes = [tensors[n].numel() * DTYPE_BYTES[dtype] for n in names]
    total, groups, acc = sum(sizes), [[] for _ in range(shards)], 0
    for name, size in zip(names, sizes):
        groups[min(shards - 1, acc * shards // total)].append(name)
        acc += size
    weight_map = {}
    for i, group in enumerate(groups):
        file = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        write_safetensors(os.path.join(folder, file), {n: tensors[n] for n in group}, dtype)
        weight_map.update({n: file for n in group})
    index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")


def read_checkpoint(folder: str) -> dict:
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    index_path = os.path.join(folder, "model.safetensors.index.json")
    if not os.path.exists(index_path):
        raise FileNotFoundError(f"{folder} has neither model.safetensors nor model.safetensors.index.json")
    with open(index_path) as f:
        weight_map = json.load(f)["weight_map"]
    tensors = {}
    for file in sorted(set(weight_map.values())):
        for name, value in read_safetensors(os.path.join(folder, file)).items():
            if weight_map.get(name) != file:
                raise ValueError(f"{file} holds {name}, which the index does not place there")
            tensors[name] = value
    return tensors


# ------------------------------------------------------------------------------------------------
# Benchmark peer helpers


def configure_threads(threads: int):
    """Intra-op threads for torch (OpenBLAS's own threads are set by OPENBLAS_NUM_THREADS)."""
    torch.set_num_threads(threads)


def info() -> dict:
    blas = set()
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads BLAS if lazily bound
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in path.rsplit("/", 1)[-1].lower():
                blas.add(path)
    return {"torch": torch.__version__, "python": platform.python_version(), "executable": sys.executable,
            "threads": torch.get_num_threads(), "blas": sorted(blas)}


def peak_rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench(argv: List[str]):
    """Quick timings of the forward pass and generate (medians of a few runs), one JSON line."""

    def arg(name, default):
        return argv[argv.index(name) + 1] if name in argv else default

    configure_threads(int(arg("--threads", "2")))
    source = arg("--config", "50m")
    if source == "50m":
        torch.manual_seed(0)
        model = TimeMoeForPrediction(TimeMoeConfig(TIME_MOE_50M))
    else:
        model = TimeMoeForPrediction.from_pretrained(source)
    model.eval()
    context = int(arg("--context", "512"))
    runs = int(arg("--runs", "3"))
    result = {"info": info(), "context": context, "cases": []}

    def timed(fn):
        fn()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        return float(np.median(times)), times

    with torch.no_grad():
        for batch in [int(b) for b in arg("--batch", "1,8").split(",") if b]:
            x = torch.randn(batch, context)
            ms, times = timed(lambda: model(x, max_horizon_length=1))
            result["cases"].append({"case": f"forward B={batch} T={context}", "median_ms": ms, "times_ms": times})
        for horizon in [int(p) for p in arg("--horizons", "96,720").split(",") if p]:
            x = torch.randn(1, context)
            ms, times = timed(lambda: model.generate(x, horizon))
            result["cases"].append({"case": f"generate P={horizon} T={context}", "median_ms": ms, "times_ms": times,
                                    "points_per_s": horizon / ms * 1000})
    result["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(result))


def main():
    if sys.argv[1:] == ["--info"]:
        print(json.dumps(info()))
    elif sys.argv[1:2] == ["--bench"]:
        bench(sys.argv[2:])
    else:
        sys.exit("usage: time_moe.py --info | --bench [--config 50m|DIR] [--threads N] [--batch 1,8] "
                 "[--context 512] [--horizons 96,720] [--runs N]")


if __name__ == "__main__":
    main()
