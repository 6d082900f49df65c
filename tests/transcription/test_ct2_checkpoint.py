"""Reading the bundled CTranslate2 model and mapping it to openai-whisper's layout."""

from __future__ import annotations

import numpy as np

from empathy_audit.transcription.ct2_checkpoint import ct2_to_openai, read_ct2_model
from empathy_audit.transcription.models import bundled_model_dir, resolve_model


def test_bundled_model_is_verified() -> None:
    model = resolve_model(None)
    assert (model.name, model.source) == ("tiny.en", "packaged")


def test_base_maps_to_openai_dimensions_too() -> None:
    """openai-whisper runs the Accurate model from the same packaged weights."""
    _spec, variables, _aliases = read_ct2_model(resolve_model("accurate").path / "model.bin")
    dims, _state = ct2_to_openai(variables)
    assert (dims["n_audio_state"], dims["n_audio_layer"], dims["n_text_layer"], dims["n_vocab"]) == (512, 6, 6, 51865)


def test_tiny_en_maps_to_openai_dimensions_and_names() -> None:
    spec, variables, aliases = read_ct2_model(bundled_model_dir() / "model.bin")
    assert spec == "WhisperSpec"
    assert aliases == {"decoder/projection/weight": "decoder/embeddings/weight"}
    dims, state = ct2_to_openai(variables)
    assert dims == {
        "n_mels": 80,
        "n_audio_ctx": 1500,
        "n_audio_state": 384,
        "n_audio_head": 6,
        "n_audio_layer": 4,
        "n_vocab": 51864,
        "n_text_ctx": 448,
        "n_text_state": 384,
        "n_text_head": 6,
        "n_text_layer": 4,
    }
    assert state["encoder.blocks.0.attn.query.weight"].shape == (384, 384)
    assert "encoder.blocks.0.attn.key.bias" not in state  # Whisper's key projections have no bias
    assert state["decoder.blocks.3.cross_attn.value.weight"].shape == (384, 384)
    # The fused q/k/v matrix splits back into its parts in order.
    fused = variables["decoder/layer_1/self_attention/linear_0/weight"]
    assert np.array_equal(state["decoder.blocks.1.attn.value.weight"], fused[768:])
    # The key bias CTranslate2 stored is all zeros: dropping it loses nothing.
    assert not variables["encoder/layer_2/self_attention/linear_0/bias"][384:768].any()
    assert len([k for k in state if k.startswith("encoder.blocks.")]) == 4 * 15
