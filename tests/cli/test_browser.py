"""The query page in a real headless Chromium: a saved query runs and its answer is rendered."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--virtual-time-budget=15000"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)  # type: ignore[list-item]


def test_saved_query_runs_in_the_browser_and_renders_rows(served, tmp_path: Path) -> None:
    url = f"{served}/?run=infections-cd40"
    dom = chromium(f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<table id=\"answer\">" in dom.stdout
    assert "Pneumocystis" in dom.stdout and "Cryptosporidium" in dom.stdout
    assert " rows</span>" in dom.stdout
    shot = tmp_path / "page.png"
    done = chromium(f"--user-data-dir={tmp_path / 'profile2'}", f"--screenshot={shot}", "--window-size=1280,900", url)
    assert done.returncode == 0 and shot.exists() and shot.stat().st_size > 10_000
