"""The README's example command runs as written (against the seed build)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_opens_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8").split("##", 1)[0]
    assert "make run" in head and "make test" in head


def test_readme_example_query_runs(seed_build) -> None:
    _, out = seed_build
    text = README.read_text(encoding="utf-8")
    example = re.search(r"^xhim query evidence .*$", text, re.M)
    assert example, "the README shows an example query"
    args = shlex.split(example.group(0))[1:]
    done = subprocess.run([sys.executable, "-m", "xhim.cli", *args, "--graph", str(out / "store")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "000_fbf8e6ea3cb4493c.txt" in done.stdout and "xhim:caused_by" in done.stdout
