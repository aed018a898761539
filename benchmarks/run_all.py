"""Run every benchmark (``make bench``): the machine described, then each script's table.

    .venv/bin/python benchmarks/run_all.py

Ratios are measured side by side, but absolute times only mean something beside the CPU,
its load and the versions of what is measured, so the report starts with those. Every
script runs even when one fails; the report is printed and written to
``benchmarks/latest.md`` (what the README's Performance section is pasted from), and the
exit status is 1 if any target row failed.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> str:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return "?"
    return f"{pages * size / 2**30:.0f} GiB"


def describe_machine() -> str:
    versions = ", ".join(f"{name} {version(name)}" for name in ("textual", "anthropic", "rich"))
    return (
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, {memory_gib()} RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()} ({sys.implementation.name}); {versions}; "
        f"load {os.getloadavg()[0]:.2f} at start."
    )


def main() -> int:
    here = Path(__file__).resolve().parent
    report = [describe_machine()]
    print(report[0], flush=True)
    failed = []
    for script in sorted(here.glob("bench_*.py")):
        proc = subprocess.run([sys.executable, str(script), *sys.argv[1:]], stdout=subprocess.PIPE, text=True)
        print(proc.stdout, end="", flush=True)
        report.append(proc.stdout)
        if proc.returncode != 0:
            failed.append(script.name)
    report.append(f"\nSome targets FAILED: {', '.join(failed)}\n" if failed else "\nAll targets passed.\n")
    print(report[-1], end="")
    if "--quick" not in sys.argv:  # quick numbers mean nothing: never the report to paste
        (here / "latest.md").write_text("\n".join(report))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
