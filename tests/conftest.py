"""What every test shares: how ``make test`` spreads the tests over the machine's cores.

``make test`` runs pytest-xdist with ``--dist loadgroup``: each test goes to whichever worker is free,
but the tests that share one outside resource go to one worker, one after the other:

- ``virtuoso``: the one Virtuoso instance .ci/run starts, whose graphs the tests push, replace and
  count (tests/external);
- ``browser``: headless Chromium, one browser per test module, ≈ 200 MB and a core each.
"""

from __future__ import annotations

import pytest

#: The marker of each resource, and the xdist group its tests run in.
_SHARED = ("virtuoso", "browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for name in _SHARED:
            if item.get_closest_marker(name) is not None:
                item.add_marker(pytest.mark.xdist_group(name))
                break
