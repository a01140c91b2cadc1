"""bgfetch against curl, wget and aria2c, alternately, on nginx at 127.0.0.1 (issue 8).

    .venv/bin/python bench/run.py [--rounds 3] [--size 1G] [--only single,bundle]
    .venv/bin/python bench/run.py --quick        # small sizes, one round: a smoke test

Prints one table per scenario (medians; bgfetch ÷ peer) with the goals met or
missed, and writes the same to bench/RESULTS.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import clients, report  # noqa: E402
from bench.nginx import nginx  # noqa: E402
from bench.scenarios import FULL, QUICK, RATES, SCENARIOS, Bench  # noqa: E402
from bgfetch_gui.engine.units import parse_size  # noqa: E402

LOADED_NOTE = ("Other work may share the machine: absolute times vary between runs; the "
               "ratios within one run, clients alternating round by round, are what count.")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int,
                        help="rounds per scenario (default 3; 1 with --quick)")
    parser.add_argument("--size", help="size of the single file (default 1G; 64M with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and one round: checks the suite in under 2 minutes")
    parser.add_argument("--only", default=",".join(SCENARIOS),
                        help=f"comma-separated scenarios (default all: {','.join(SCENARIOS)})")
    parser.add_argument("--results", type=Path,
                        help="where to write the report (default bench/RESULTS.md; "
                             "none with --quick)")
    parser.add_argument("--note", default=LOADED_NOTE, help="a sentence for the report")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in args.only if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.sizes = QUICK if args.quick else FULL
    if args.results is None and not args.quick:
        args.results = report.RESULTS
    if args.size is not None:
        try:
            args.sizes = dataclasses.replace(args.sizes, single=parse_size(args.size))
        except ValueError as exc:
            parser.error(f"--size: {exc}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    missing = clients.missing_tools()
    if missing:
        raise SystemExit(f"missing tools: apt-get install {' '.join(missing)}")
    if not clients.BGFETCH.exists():
        raise SystemExit(f"no {clients.BGFETCH}: run with the project's environment "
                         "(.venv/bin/python bench/run.py)")
    # pip compiles a package it installs; an editable checkout run with
    # PYTHONDONTWRITEBYTECODE (as CI and helper machines are) never does, and every
    # bgfetch run would then compile its ~90 modules again: ~1 s that no user pays.
    compileall.compile_dir(ROOT / "bgfetch_gui", quiet=1)
    tables = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bgfetch-bench-") as tmp, \
            nginx(Path(tmp) / "root", Path(tmp) / "nginx", RATES) as server:
        bench = Bench(server, Path(tmp) / "root", Path(tmp) / "work", args.rounds, args.sizes)
        for name in args.only:
            print(f"-- {name} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
            table = SCENARIOS[name](bench)
            print(table.markdown(), flush=True)
            tables.append(table)
    done = f"{len(tables)} scenarios in {time.monotonic() - started:.0f} s"
    if args.results is not None:
        args.results.write_text(report.markdown(tables, argv, args.note))
        done += f"; written to {args.results}"
    print(done, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
