"""``scripts/virtuoso.sh``: loopback only, read-only to anonymous users, idempotent start, a real stop."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from .conftest import SCRIPT, Virtuoso

pytestmark = pytest.mark.virtuoso


def _script(*args: str, env: dict[str, str] | None = None,
            timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, check=False)


def _pid(state_dir: Path) -> int:
    """The server's pid, from the lock file Virtuoso writes (VIRT_PID=…)."""
    for line in (state_dir / "db" / "virtuoso.lck").read_text().splitlines():
        if line.startswith("VIRT_PID="):
            return int(line.split("=", 1)[1])
    raise AssertionError(f"no VIRT_PID in {state_dir}/db/virtuoso.lck")


def _listening(pid: int) -> list[tuple[str, int]]:
    """(address, port) of every TCP socket the process listens on, read from /proc (IPv4 and IPv6)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        for row in Path(table).read_text().splitlines()[1:]:
            cols = row.split()
            if cols[3] != "0A" or cols[9] not in inodes:  # 0A: TCP_LISTEN
                continue
            hex_addr, hex_port = cols[1].split(":")
            raw = bytes.fromhex(hex_addr)
            # /proc prints each 32-bit word in host (little-endian) order.
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.append((socket.inet_ntop(family, raw), int(hex_port, 16)))
    return found


def test_virtuoso_listens_on_loopback_only(virtuoso: Virtuoso) -> None:
    sockets = _listening(_pid(virtuoso.state_dir))
    assert sockets, "Virtuoso listens on nothing?"
    assert {addr for addr, _ in sockets} == {"127.0.0.1"}, sockets


def test_anonymous_graph_store_cannot_write(virtuoso: Virtuoso) -> None:
    r = httpx.put(virtuoso.gsp_anonymous, params={"graph": "urn:renkei-kg-test:anonymous"},
                  content=b"<urn:a> <urn:b> <urn:c> .\n", headers={"Content-Type": "application/n-triples"})
    assert r.status_code in (401, 403), r.text


def test_anonymous_sparql_update_is_refused(virtuoso: Virtuoso) -> None:
    update = "INSERT DATA { GRAPH <urn:renkei-kg-test:anon> { <urn:a> <urn:b> 1 } }"
    r = httpx.post(virtuoso.query, data={"query": update},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code >= 400 or "permission" in r.text.lower(), r.text
    ask = httpx.post(virtuoso.query, data={"query": "ASK { GRAPH <urn:renkei-kg-test:anon> { ?s ?p ?o } }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert ask.json()["boolean"] is False


def test_start_on_a_running_instance_is_a_no_op(virtuoso: Virtuoso) -> None:
    before = _pid(virtuoso.state_dir)
    done = _script("start", timeout=60)
    assert done.returncode == 0, done.stderr
    assert "already running" in done.stderr and _pid(virtuoso.state_dir) == before


def test_status_names_the_endpoints(virtuoso: Virtuoso) -> None:
    done = _script("status", timeout=30)
    assert done.returncode == 0 and f"query={virtuoso.query}" in done.stdout, done.stdout + done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_second_instance_starts_provisions_and_really_stops(virtuoso: Virtuoso, tmp_path: Path) -> None:
    # Another database and other ports, so the instance under test keeps running.
    env = {"KG_VIRTUOSO_DIR": str(tmp_path / "v"), "KG_VIRTUOSO_HTTP_PORT": str(_free_port()),
           "KG_VIRTUOSO_SQL_PORT": str(_free_port())}
    started = _script("start", env=env)
    try:
        assert started.returncode == 0, started.stderr
        pid = _pid(tmp_path / "v")
        assert _script("status", env=env).returncode == 0
        lines = (tmp_path / "v" / "credentials").read_text().split()
        credentials = dict(line.split(":", 1) for line in lines)
        assert set(credentials) == {"dba", "kg_push"}
        assert credentials["dba"] != "dba"  # no well-known password
        assert (tmp_path / "v" / "credentials").stat().st_mode & 0o077 == 0
    finally:
        stopped = _script("stop", env=env, timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    assert not Path(f"/proc/{pid}").exists(), "the server process is still there"
    assert _script("status", env=env).returncode == 3
    assert _script("stop", env=env).returncode == 0  # stopping a stopped instance is fine
