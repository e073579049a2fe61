"""Every module of kg declares its public surface in __all__, and declares all of it (cf. httpx)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import kg

MODULES = sorted(m.name for m in pkgutil.walk_packages(kg.__path__, "kg."))


def test_the_package_yields_modules() -> None:
    assert len(MODULES) > 30


@pytest.mark.parametrize("name", MODULES)
def test_module_declares_all_its_public_names(name: str) -> None:
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", None)
    assert declared is not None, f"{name} has no __all__"
    missing = [n for n in declared if not hasattr(module, n)]
    assert missing == [], f"{name}.__all__ names what it does not define: {missing}"
    # Reached through the framework, not by import: FastAPI route handlers (via `router`) and
    # typer commands (via `register(app)`, named *_command).
    router = getattr(module, "router", None)
    handlers = {getattr(r, "endpoint", None) for r in getattr(router, "routes", [])}
    defined_here = [
        n for n, obj in vars(module).items()
        if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
        and getattr(obj, "__module__", None) == name
        and obj not in handlers and not n.endswith("_command")
    ]
    undeclared = sorted(set(defined_here) - set(declared))
    assert undeclared == [], f"{name} defines public {undeclared} but leaves them out of __all__"
