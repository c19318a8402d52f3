"""make bench: run every benchmark (each in its own process, each with its in-run baseline), print one JSON line
per figure, and write the table with the date and machine to bench/results/<date>-<which>.md and .json (commit them).

python -m bench [module …]   e.g. python -m bench bench.draw --licences 1000000
python -m bench --only credit_facts,sweeps   those of make bench's runs, at its sizes
python -m bench --table bench/results/<name>.json   write that run's Markdown table again from its JSON
Set DATABASE_URL to a PostgreSQL server for the figures the issues name (SQLite otherwise)."""

import json
import os
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path

# the sizes the issues name (issue 8 unless said otherwise); each module alone takes smaller ones by default
BENCHMARKS = [
    ["bench.generate", "--subjects", "1000000"],
    ["bench.credit_facts", "--subjects", "10000", "--restrictions", "1000"],
    ["bench.credit_facts", "--subjects", "1000000", "--restrictions", "100000"],
    ["bench.on_the_spot"],
    ["bench.package"],
    ["bench.documents"],
    ["bench.draw", "--licences", "1000000", "--inspectors", "5000", "--share", "5"],
    ["bench.sweeps", "--obligations", "1000000", "--restrictions", "100000"],
    ["bench.api_load"],
    ["bench.dashboard", "--applications", "100000"],  # issue 10's 1,000,000 figure: python -m bench bench.dashboard …
    ["bench.credit_nightly", "--subjects", "100000", "--licences", "100000", "--restrictions", "10000"],  # issue 13
]
OUT = Path("bench/results")


def machine() -> str:
    database = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    return f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, {database}"


def ratio(figure: dict):
    found = {k: v for k, v in figure.items() if "ratio" in k}
    return ", ".join(f"{k}: {v}" for k, v in found.items())


# shown before the timings: the size measured, and the counts a goal names (errors: 0) or that say the work was done
SIZES = ("subjects", "restrictions", "licences", "inspectors", "people", "certificates", "obligations",
         "applications")
COUNTS = ("requests", "errors", "rendered", "failed", "same_result_twice")


def measured(figure: dict) -> str:
    keys = [k for k in SIZES if isinstance(figure.get(k), int)]
    keys += [k for k in figure if k.endswith(("_ms", "_s", "_mb")) and "baseline" not in k]
    keys += [k for k in COUNTS if k in figure]
    return ", ".join(f"{k}: {figure[k]}" for k in keys)


def write_table(name: str, date: str, machine_name: str, figures: list[dict]) -> Path:
    rows = ["| figure | measured | ratio to in-run baseline | goal |", "|---|---|---|---|"]
    rows += [f"| {f.get('figure', '')} | {measured(f)} | {ratio(f)} | {f.get('goal', '')} |" for f in figures]
    path = OUT / f"{name}.md"
    path.write_text(f"# Benchmarks, {date.replace('T', ' ')}\n\nMachine: {machine_name}\n\n" + "\n".join(rows) + "\n")
    return path


def main(argv: list[str]) -> int:
    if argv[:1] == ["--table"] and len(argv) == 2:
        source = Path(argv[1])
        run = json.loads(source.read_text())
        print(f"table: {write_table(source.stem, run['date'], run['machine'], run['figures'])}", file=sys.stderr)
        return 0
    if argv[:1] == ["--only"] and len(argv) == 2:
        names = argv[1].split(",")
        modules = [m for m in BENCHMARKS if m[0].split(".")[-1] in names]
        if not modules or {m[0].split(".")[-1] for m in modules} != set(names):
            print(f"--only: not among make bench's benchmarks: {argv[1]}", file=sys.stderr)
            return 2
    else:
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
    stamp = datetime.now()
    name = f"{stamp:%Y-%m-%d-%H%M}-{'-'.join(dict.fromkeys(m[0].split('.')[-1] for m in modules)) if argv else 'all'}"
    date = stamp.isoformat(timespec="minutes")
    (OUT / f"{name}.json").write_text(json.dumps({"date": date, "machine": machine(), "figures": figures},
                                                 ensure_ascii=False, indent=1))
    print(f"table: {write_table(name, date, machine(), figures)}", file=sys.stderr)
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
