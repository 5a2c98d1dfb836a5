"""Loading demo records into PostgreSQL: COPY (what seed-demo uses) against INSERT statements, wall and CPU time
of this process and of the PostgreSQL backend serving it (CPU time is what a busy machine does not distort).

Usage: .venv/bin/python bench/seed_load_bench.py --url postgresql+psycopg://postgres@127.0.0.1:5432/DB
       [--scale province] [--seed 2026] [--method copy insert]
Each method loads into a fresh schema of that database (dropped afterwards); records are generated as they are
loaded (the generator's own time is in this process's CPU: bench/demo_gen_bench.py gives it alone). No accounts are
created (seed-demo's argon2 hashes are apart). Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Connection, create_engine, text  # noqa: E402

from market_server.db import migrate  # noqa: E402
from market_server.seed import load_records  # noqa: E402
from sync.demo import SCALES, generate  # noqa: E402


def _backend_cpu(conn: Connection) -> float:
    """CPU seconds (user + system) of the PostgreSQL backend process of `conn` (same machine only)."""
    pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(url: str, scale: str, seed_value: int, method: str) -> None:
    schema = f"seedbench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        with engine.begin() as conn:
            backend = _backend_cpu(conn)
            wall, cpu = time.perf_counter(), time.process_time()
            # "insert": the INSERT statements the loader uses on SQLite, here on PostgreSQL.
            rows = load_records(conn, generate(scale, seed=seed_value), user="demo", use_copy=method == "copy")
            loaded_wall, loaded_cpu = time.perf_counter() - wall, time.process_time() - cpu
            loaded_backend = _backend_cpu(conn) - backend
            commit_start = time.perf_counter()
        commit = time.perf_counter() - commit_start
        with engine.connect() as conn:
            size = conn.execute(text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relkind = 'r'"
            ), {"s": schema}).scalar_one()
        print(f"{method}: {rows:,} rows ({scale}) in {loaded_wall:.1f} s wall + commit {commit:.1f} s; "
              f"CPU: this process {loaded_cpu:.1f} s (generator included), PostgreSQL backend {loaded_backend:.1f} s; "
              f"{rows / loaded_wall:,.0f} rows/s wall; tables with indexes {int(size) / 2**20:,.0f} MB")
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a PostgreSQL database URL (a schema is made in it)")
    parser.add_argument("--scale", choices=SCALES, default="province")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--method", nargs="+", choices=("copy", "insert"), default=["copy", "insert"])
    args = parser.parse_args()
    for method in args.method:
        run(args.url, args.scale, args.seed, method)


if __name__ == "__main__":
    main()
