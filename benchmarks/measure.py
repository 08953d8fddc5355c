"""Wall time and peak memory of a command, median of N runs, each in a fresh process.

    python benchmarks/measure.py -n 5 -- xhim build --out /tmp/xhim-bench --quiet

Peak memory is the child's maximum resident set size (wait4 rusage), in MiB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=5, help="number of runs (default 5)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")
    runs = [run_once(command) for _ in range(args.n)]
    walls = [r[0] for r in runs]
    rss = [r[1] for r in runs]
    codes = sorted({r[2] for r in runs})
    print(f"command: {' '.join(command)}")
    print(f"runs: {args.n}, exit codes: {codes}")
    print(f"wall time: median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f})")
    print(f"peak RSS: median {statistics.median(rss):.0f} MiB (max {max(rss):.0f})")
    return 0 if codes == [0] else 1


if __name__ == "__main__":
    sys.exit(main())
