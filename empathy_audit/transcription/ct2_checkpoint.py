"""Turn a CTranslate2 Whisper `model.bin` into an openai-whisper checkpoint, so both engines
run offline on the same bundled weights.

The CTranslate2 file (see ctranslate2/specs/model_spec.py, `_serialize`) is: binary version,
spec name, revision, then named tensors (name, rank, shape, dtype id, byte count, bytes), then
aliases. Whisper's self-attention q/k/v are fused into one matrix (k has no bias, stored as
zeros), cross-attention k/v are fused, and the output projection aliases the token embedding.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

# Order of ctranslate2's DataType enum (include/ctranslate2/types.h).
_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


class CheckpointError(ValueError):
    pass


def _read_string(f: BinaryIO) -> str:
    (length,) = struct.unpack("<H", f.read(2))
    return f.read(length)[:-1].decode("utf-8")


def read_ct2_model(path: Path) -> tuple[str, dict[str, np.ndarray], dict[str, str]]:
    """Read a CTranslate2 model.bin: (spec name, variables, aliases)."""
    variables: dict[str, np.ndarray] = {}
    aliases: dict[str, str] = {}
    with open(path, "rb") as f:
        (binary_version,) = struct.unpack("<I", f.read(4))
        if binary_version < 5:
            raise CheckpointError(f"{path}: CTranslate2 binary version {binary_version} is too old to convert")
        spec = _read_string(f)
        struct.unpack("<I", f.read(4))  # revision
        (count,) = struct.unpack("<I", f.read(4))
        for _ in range(count):
            name = _read_string(f)
            (rank,) = struct.unpack("<B", f.read(1))
            shape = struct.unpack(f"<{rank}I", f.read(4 * rank)) if rank else ()
            (type_id,) = struct.unpack("<B", f.read(1))
            (num_bytes,) = struct.unpack("<I", f.read(4))
            if type_id not in _DTYPES:
                raise CheckpointError(f"{path}: tensor {name} has unsupported type id {type_id}")
            data = np.frombuffer(f.read(num_bytes), dtype=_DTYPES[type_id])
            variables[name] = data.reshape(shape) if shape else data
        (alias_count,) = struct.unpack("<I", f.read(4))
        for _ in range(alias_count):
            alias = _read_string(f)
            aliases[alias] = _read_string(f)
    return spec, variables, aliases


def _count_layers(variables: dict[str, np.ndarray], prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"/layer_(\d+)/")
    return len({m.group(1) for name in variables if (m := pattern.match(name))})


def _scalar(value: np.ndarray) -> int:
    return int(np.asarray(value).reshape(-1)[0])


def ct2_to_openai(
    variables: dict[str, np.ndarray], n_mels: int | None = None
) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """Map CTranslate2 Whisper variables to openai-whisper's ModelDimensions and state dict."""
    v = variables
    state: dict[str, np.ndarray] = {}
    n_state = v["encoder/conv1/bias"].shape[0]
    text_state = v["decoder/embeddings/weight"].shape[1]

    def linear(dst: str, src: str, bias: bool = True) -> None:
        state[f"{dst}.weight"] = v[f"{src}/weight"]
        if bias:
            state[f"{dst}.bias"] = v[f"{src}/bias"]

    def layer_norm(dst: str, src: str) -> None:
        state[f"{dst}.weight"] = v[f"{src}/gamma"]
        state[f"{dst}.bias"] = v[f"{src}/beta"]

    def self_attention(dst: str, src: str, width: int) -> None:
        qkv_w, qkv_b = v[f"{src}/linear_0/weight"], v[f"{src}/linear_0/bias"]
        state[f"{dst}.query.weight"], state[f"{dst}.query.bias"] = qkv_w[:width], qkv_b[:width]
        state[f"{dst}.key.weight"] = qkv_w[width : 2 * width]
        state[f"{dst}.value.weight"], state[f"{dst}.value.bias"] = qkv_w[2 * width :], qkv_b[2 * width :]
        linear(f"{dst}.out", f"{src}/linear_1")

    def block(dst: str, src: str, width: int, cross: bool) -> None:
        self_attention(f"{dst}.attn", f"{src}/self_attention", width)
        layer_norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
        if cross:
            linear(f"{dst}.cross_attn.query", f"{src}/attention/linear_0")
            kv_w, kv_b = v[f"{src}/attention/linear_1/weight"], v[f"{src}/attention/linear_1/bias"]
            state[f"{dst}.cross_attn.key.weight"] = kv_w[:width]
            state[f"{dst}.cross_attn.value.weight"], state[f"{dst}.cross_attn.value.bias"] = kv_w[width:], kv_b[width:]
            linear(f"{dst}.cross_attn.out", f"{src}/attention/linear_2")
            layer_norm(f"{dst}.cross_attn_ln", f"{src}/attention/layer_norm")
        linear(f"{dst}.mlp.0", f"{src}/ffn/linear_0")
        linear(f"{dst}.mlp.2", f"{src}/ffn/linear_1")
        layer_norm(f"{dst}.mlp_ln", f"{src}/ffn/layer_norm")

    linear("encoder.conv1", "encoder/conv1")
    linear("encoder.conv2", "encoder/conv2")
    state["encoder.positional_embedding"] = v["encoder/position_encodings/encodings"]
    n_audio_layer = _count_layers(v, "encoder")
    for i in range(n_audio_layer):
        block(f"encoder.blocks.{i}", f"encoder/layer_{i}", n_state, cross=False)
    layer_norm("encoder.ln_post", "encoder/layer_norm")

    state["decoder.token_embedding.weight"] = v["decoder/embeddings/weight"]
    state["decoder.positional_embedding"] = v["decoder/position_encodings/encodings"]
    n_text_layer = _count_layers(v, "decoder")
    for i in range(n_text_layer):
        block(f"decoder.blocks.{i}", f"decoder/layer_{i}", text_state, cross=True)
    layer_norm("decoder.ln", "decoder/layer_norm")

    dims = {
        "n_mels": n_mels or v["encoder/conv1/weight"].shape[1],
        "n_audio_ctx": v["encoder/position_encodings/encodings"].shape[0],
        "n_audio_state": n_state,
        "n_audio_head": _scalar(v["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": v["decoder/embeddings/weight"].shape[0],
        "n_text_ctx": v["decoder/position_encodings/encodings"].shape[0],
        "n_text_state": text_state,
        "n_text_head": _scalar(v["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    return dims, state


def convert_to_openai_checkpoint(model_dir: Path, out_path: Path) -> Path:
    """Write `out_path` (a torch checkpoint openai-whisper's load_model reads) from a CT2 model folder.

    The alignment heads from config.json go in too, so word timestamps use the right heads.
    """
    import torch  # only with the openai-whisper extra

    spec, variables, _aliases = read_ct2_model(model_dir / "model.bin")
    if spec != "WhisperSpec":
        raise CheckpointError(f"{model_dir}: a {spec} model, not Whisper")
    dims, state = ct2_to_openai(variables)
    config: dict[str, Any] = {}
    config_path = model_dir / "config.json"
    if config_path.exists():
        config = json.loads(config_path.read_text())
    checkpoint = {
        "dims": dims,
        "model_state_dict": {k: torch.from_numpy(np.array(a, dtype=np.float16)) for k, a in state.items()},
        "alignment_heads": config.get("alignment_heads"),
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    temp = out_path.with_suffix(".partial")
    torch.save(checkpoint, temp)
    temp.replace(out_path)
    return out_path
