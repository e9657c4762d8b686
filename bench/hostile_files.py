"""Time the costly list files of ``tests/catalog/crafted.py`` beside a real-sized annex.

    .venv/bin/python bench/hostile_files.py [--rows 20000]

Each file is built by hand (raw XML in a ZIP, or bytes), within the upload cap and the
package limits, and read by ``read_list`` in a fresh child process; the line says its
size, whether it was read or refused (with the refusal), and its CPU and wall seconds.
The first line is a province-style annex of ``--rows`` rows (``catalog_bench.write_annex``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys, time
from pathlib import Path
from postlink.catalog.importer import read_list
from postlink.catalog.problems import CatalogValidationError
path = Path(sys.argv[1])
cpu, wall = time.process_time(), time.monotonic()
try:
    outcome = f"read {len(read_list(path).entries)} entries"
except CatalogValidationError as exc:
    errors = [p for p in exc.problems if p.severity == "error"]
    outcome = f"refused: {errors[-1].where_vi}: {errors[-1].reason_vi[:90]}"
print(f"cpu {time.process_time() - cpu:5.2f} s  wall {time.monotonic() - wall:5.2f} s  {outcome}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    rows = parser.parse_args().rows
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from catalog_bench import write_annex

    from tests.catalog.crafted import CRAFTED

    with tempfile.TemporaryDirectory() as folder:
        files = [Path(folder) / f"annex-{rows}.xlsx"]
        write_annex(files[0], rows, "125/QĐ-UBND", 1)
        files += [build(Path(folder) / name) for name, build in CRAFTED.items()]
        for path in files:
            timed = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            size = path.stat().st_size / 1e6
            print(f"{path.name:22} {size:5.2f} MB  {(timed.stdout or timed.stderr).strip()}")


if __name__ == "__main__":
    main()
