"""The public surface of kg.store and kg.server is declared once, in ``__all__``, and complete."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "kg.store",
    "kg.server",
    "kg.release.catalogue",
    "kg.store.guard",
    "kg.store.execute",
    "kg.formats",
    "kg.server.negotiate",
    "kg.server.params",
    "kg.server.pool",
    "kg.server.worker_process",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist_and_public_functions_are_listed(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert exported, name
    assert all(hasattr(module, n) for n in exported)
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and getattr(v, "__module__", None) == name and callable(v)
    }
    assert public <= exported, f"{name}: not in __all__: {sorted(public - exported)}"
