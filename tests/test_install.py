"""``pip install .`` without extras, in a fresh venv, gives a ``kg`` whose commands start (issue 15).

tests/test_dependencies.py reads the imports; this runs them: `kg --help` imports every command's
module, and `kg push --dry-run` the Graph Store Protocol client, which once needed a test-only
dependency. The push goes to a port nobody listens on, so it must end in the typed, bilingual
error of an unreachable store — never an ImportError or a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.server.conftest import DATA, make_release

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kg_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    # A copy of what git tracks, so the build, node_modules and caches of this tree are not copied.
    src = tmp_path_factory.mktemp("src")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_bytes((ROOT / name).read_bytes())
    done = subprocess.run([str(pip), "install", "-q", "--disable-pip-version-check", str(src)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return env_dir / "bin" / "kg"


def _run(kg: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "PYTHON"))}
    return subprocess.run([str(kg), *args], capture_output=True, text=True, timeout=120,
                          env=clean | {"LANG": "C.UTF-8"} | env, cwd=kg.parent)


def test_kg_help_lists_every_command(kg_bin: Path) -> None:
    done = _run(kg_bin, "--help")
    assert done.returncode == 0, done.stderr
    for command in ("build", "serve", "ingest", "validate", "query", "push", "compare", "consolidate", "demo"):
        assert command in done.stdout


def test_kg_push_dry_run_reaches_the_network_code(kg_bin: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    make_release(build, (DATA / "release.trig").read_bytes(), "install-1")
    done = _run(kg_bin, "push", "--dry-run", "--endpoint", "http://127.0.0.1:9/store", KG_BUILD_DIR=str(build))
    assert "Traceback" not in done.stderr and "ModuleNotFoundError" not in done.stderr, done.stderr
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "127.0.0.1:9" in done.stderr
    assert sys.executable not in done.stderr  # the fresh venv's kg ran, not this one's
