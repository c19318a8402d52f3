"""make bench: run every benchmark (each in its own process, each with its in-run baseline), print one JSON line
per figure, and write the table to artifacts/bench/results.md and results.json.

python -m bench [module …]   e.g. python -m bench bench.draw --licences 1000000
Set DATABASE_URL to a PostgreSQL server for the figures the issues name (SQLite otherwise)."""

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

BENCHMARKS = [["bench.credit_facts"], ["bench.on_the_spot"], ["bench.package"], ["bench.draw"], ["bench.sweeps"],
              ["bench.documents"]]
OUT = Path("artifacts/bench")


def ratio(figure: dict):
    found = {k: v for k, v in figure.items() if "ratio" in k}
    return ", ".join(f"{k}: {v}" for k, v in found.items())


def measured(figure: dict) -> str:
    keys = [k for k in figure if k.endswith(("_ms", "_s", "_mb")) and "baseline" not in k]
    return ", ".join(f"{k}: {figure[k]}" for k in keys)


def main(argv: list[str]) -> int:
    modules = [argv] if argv else BENCHMARKS
    figures, failed = [], 0
    for module in modules:
        run = subprocess.run([sys.executable, "-m", *module], capture_output=True, text=True)
        sys.stderr.write(run.stderr[-2000:] if run.returncode else "")
        failed |= run.returncode
        for line in run.stdout.splitlines():
            if line.startswith("{"):
                print(line, flush=True)
                figures.append(json.loads(line))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    rows = ["| figure | measured | ratio to in-run baseline | goal |", "|---|---|---|---|"]
    rows += [f"| {f.get('figure', '')} | {measured(f)} | {ratio(f)} | {f.get('goal', '')} |" for f in figures]
    (OUT / "results.md").write_text(f"# Benchmarks, {datetime.now():%Y-%m-%d %H:%M}\n\n" + "\n".join(rows) + "\n")
    print(f"table: {OUT / 'results.md'}", file=sys.stderr)
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
