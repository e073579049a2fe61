"""Where the project's shared/ folder is: beside the clone (CI), or the workplace's copy."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CANDIDATES = (ROOT.parent / "shared", Path("/work/shared"))


def shared_dir() -> Path:
    """shared/ (domain notes, samples, reference standards); fails loudly when it is absent."""
    for candidate in _CANDIDATES:
        if (candidate / "domain").is_dir():
            return candidate
    raise FileNotFoundError(f"shared/ not found beside the repository (looked in {_CANDIDATES})")
