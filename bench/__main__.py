"""make bench: run every benchmark and print one JSON line per figure."""

import subprocess
import sys

BENCHMARKS = [["bench.credit_facts"], ["bench.on_the_spot"], ["bench.package"], ["bench.draw"], ["bench.sweeps"], ["bench.documents"]]

if __name__ == "__main__":
    failed = 0
    for module in BENCHMARKS:
        failed |= subprocess.call([sys.executable, "-m", *module])
    sys.exit(failed)
