"""Fixtures for the command-line and server tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.serve import free_port, wait_until_up

XHIM = [sys.executable, "-m", "xhim.cli"]


@pytest.fixture()
def served(seed_build):
    _, out = seed_build
    port = free_port()
    process = subprocess.Popen([*XHIM, "serve", "--graph", str(out / "store"), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", None, 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


