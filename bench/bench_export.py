r"""Exporting 1,000,000 hazard rows to .xlsx (the register, 问题隐患清单): rows/s and peak RSS.

    DATABASE_URL=sqlite:////work/main/var/bench_hazards.sqlite3 \
        /work/main/.venv/bin/python bench/bench_export.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/fireledger_bench_hazards \
        /work/main/.venv/bin/python bench/bench_export.py

Needs the hazards of bench/gen_hazards.py. The rows: the first N hazards by id (default
1,000,000), selected through the export's own path — `registers.hazard_queryset` (with_overdue,
the HazardFilter of the list with an empty filter, the scope of a superuser), the id cut, then
`registers.rows_sql` (values_list of the register's columns, ordered by street then id). Writes
only a temporary file; no database write. Each measurement runs in a child process of its own,
which reports its wall time and its peak RSS (VmHWM):

  export   registers.write: the chunked raw cursor (server-side on PostgreSQL, inside a
           transaction as services.run_export does) → row making (street, category, labels)
           → xlsx_stream, to an .xlsx on disk;
  fetch    floor 1: the same SQL through the same chunked cursor, rows fetched and dropped;
  writer   floor 2: the bare writer, N rows already made in memory (a sample of
           --sample rows of the real data, cycled) written by xlsx_stream;
  xlsxwriter  (--xlsxwriter) for comparison: xlsxwriter constant_memory on --sample rows.

Best of -r runs of each. Target: export ≥ 20,000 rows/s with peak RSS < 500 MB.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import db_description, setup_django

HERE = Path(__file__).resolve()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=100_000,
                        help="rows held in memory for the writer floor (cycled up to --rows)")
    parser.add_argument("-r", "--repeat", type=int, default=1, help="runs of each (best kept)")
    parser.add_argument("--xlsxwriter", action="store_true",
                        help="also time xlsxwriter constant_memory on --sample rows")
    parser.add_argument("--only", help="run only these measurements (export,fetch,writer)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args()


def peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def source(rows: int):
    """(register, sql, params) of the first `rows` hazards by id, via the export's path."""
    from django.db import connection
    from django.http import QueryDict

    from fireledger.core.models import User
    from fireledger.exports import registers

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM hazards_hazard ORDER BY id LIMIT 1 OFFSET %s",
                       [rows - 1])
        found = cursor.fetchone()
    if found is None:
        raise SystemExit(f"fewer than {rows} hazards: run bench/gen_hazards.py")
    reader = User(username="bench_export", is_superuser=True)  # not saved: scope = everything
    register = registers.REGISTERS["hazards"]
    queryset = registers.hazard_queryset(reader, QueryDict(""), "hazards").filter(
        id__lte=found[0])
    sql, params = registers.rows_sql(queryset, register)
    return register, sql, params


def reading():
    from contextlib import nullcontext

    from django.db import connection, transaction

    return transaction.atomic() if connection.vendor == "postgresql" else nullcontext()


def child(what: str, args) -> dict:
    setup_django()
    from fireledger.exports import registers
    from fireledger.exports.xlsx_stream import StreamingWorkbook

    register, sql, params = source(args.rows)
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="bench-export-")
    os.close(handle)
    try:
        if what == "export":
            t0, c0 = time.perf_counter(), time.process_time()
            with reading():
                n = registers.write(register, sql, params, path)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        elif what == "fetch":
            t0, c0 = time.perf_counter(), time.process_time()
            n = 0
            with reading():
                for _row in registers.fetch(sql, params):
                    n += 1
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        elif what in ("writer", "xlsxwriter"):
            lookups = registers.Lookups()
            sample = []
            with reading():
                for i, values in enumerate(registers.fetch(sql, params), start=1):
                    sample.append(register.row(i, values, lookups))
                    if i >= args.sample:
                        break
            total = args.rows if what == "writer" else len(sample)

            def rows():
                for i in range(total):
                    yield sample[i % len(sample)]

            t0, c0 = time.perf_counter(), time.process_time()
            if what == "writer":
                with StreamingWorkbook(path, register.title, register.columns) as book:
                    n = book.write_rows(rows())
            else:
                n = _xlsxwriter(path, register, rows())
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        else:
            raise SystemExit(f"unknown measurement {what}")
        size = os.path.getsize(path)
    finally:
        os.unlink(path)
    return {"what": what, "rows": n, "seconds": seconds, "cpu": cpu, "rss_mb": peak_rss_mb(),
            "file_mb": size / 1e6}


def _xlsxwriter(path, register, rows) -> int:
    import datetime

    import xlsxwriter

    from fireledger.exports.xlsx_stream import DATE

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet(register.title)
    for col, column in enumerate(register.columns):
        sheet.write_string(0, col, column.header)
    kinds = [c.kind for c in register.columns]
    n = 0
    for n, row in enumerate(rows, start=1):
        for col, (kind, value) in enumerate(zip(kinds, row)):
            if value is None or value == "":
                continue
            if kind == DATE:
                if isinstance(value, str):
                    value = datetime.date.fromisoformat(value[:10])
                sheet.write_datetime(n, col, value, date)
            else:
                sheet.write(n, col, value)
    workbook.close()
    return n


def run_child(what: str, args) -> dict:
    command = [sys.executable, str(HERE), "--child", what, "--rows", str(args.rows),
               "--sample", str(args.sample)]
    out = subprocess.run(command, check=True, capture_output=True, text=True,
                         env={**os.environ, "FIRELEDGER_DEBUG": "0",
                              "FIRELEDGER_SECRET_KEY": "bench-only-not-secret"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    args = parse_args()
    if args.child:
        print(json.dumps(child(args.child, args)))
        return
    os.environ["FIRELEDGER_DEBUG"] = "0"
    os.environ.setdefault("FIRELEDGER_SECRET_KEY", "bench-only-not-secret")
    setup_django()
    print(f"database: {db_description()}; rows: first {args.rows:,} hazards by id; "
          f"load average {os.getloadavg()[0]:.1f}")
    names = ["export", "fetch", "writer"] + (["xlsxwriter"] if args.xlsxwriter else [])
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    best: dict[str, dict] = {}
    for run in range(args.repeat):
        for name in names:
            result = run_child(name, args)
            print(f"  run {run + 1} {name:10s} {result['rows']:>9,} rows "
                  f"{result['seconds']:7.1f} s {result['rows'] / result['seconds']:>9,.0f} rows/s "
                  f"(CPU {result['cpu']:6.1f} s, "
                  f"{result['rows'] / result['cpu']:>9,.0f} rows/CPU-s) "
                  f"peak RSS {result['rss_mb']:6.0f} MB  file {result['file_mb']:.0f} MB",
                  flush=True)
            if name not in best or result["seconds"] < best[name]["seconds"]:
                best[name] = result
    print("best:")
    for name, result in best.items():
        print(f"  {name:10s} {result['rows'] / result['seconds']:>9,.0f} rows/s  "
              f"{result['rows'] / result['cpu']:>9,.0f} rows/CPU-s  "
              f"peak RSS {result['rss_mb']:.0f} MB")
    if {"export", "fetch", "writer"} <= best.keys():
        e, f, w = (best[k]["seconds"] / best[k]["rows"] for k in ("export", "fetch", "writer"))
        print(f"ratios (time per row): export/fetch {e / f:.2f}, export/writer {e / w:.2f}, "
              f"export/(fetch+writer) {e / (f + w):.2f}")


if __name__ == "__main__":
    main()
