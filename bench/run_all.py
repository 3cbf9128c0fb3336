"""Run every benchmark in ``bench/`` in turn and print all their figures.

Each ``bench/*.py`` script other than this one and ``common.py`` is a benchmark. A
benchmark that fails does not stop the others; the exit status says whether all ran.
``python bench/run_all.py search handout`` runs only those named.
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"common", "run_all"}


def benchmarks(names=()):
    found = sorted(
        path
        for path in BENCH.glob("*.py")
        if path.stem not in NOT_BENCHMARKS and not path.stem.startswith("_")
    )
    return [path for path in found if not names or path.stem in names]


def main(names):
    failed = []
    for path in benchmarks(names):
        print(f"=== {path.stem} ===", flush=True)
        started = time.perf_counter()
        process = subprocess.run([sys.executable, str(path)], cwd=BENCH.parent, check=False)
        print(
            f"=== {path.stem}: {'ok' if process.returncode == 0 else 'FAILED'} "
            f"in {time.perf_counter() - started:.0f} s ===\n",
            flush=True,
        )
        if process.returncode:
            failed.append(path.stem)
    if failed:
        print(f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
