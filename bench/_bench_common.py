"""Shared helpers of the benchmark scripts: a store file, realistic Chinese rows, and timing figures."""

from __future__ import annotations

import random
import statistics
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from specialist_app.store.tables import ENTITY_TABLES, metadata  # noqa: E402
from sync.codes import ORG_TYPE, TRANSFER_MODE  # noqa: E402
from sync.ids import uuid7  # noqa: E402

CSL_DIR = Path("/work/shared/data/csl")


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """A process's own peak RSS in MB (VmHWM, Linux); None where /proc does not tell. Not `ru_maxrss`: a process
    started from a big one also holds that one's peak (Linux keeps the old image's peak across exec)."""
    status = Path(f"/proc/{pid}/status")
    for line in status.read_text().splitlines() if status.exists() else ():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


@dataclass(frozen=True)
class Paper:
    """One CSL row: a real title, abstract, keywords and discipline (read at run time, never stored)."""

    title: str
    abstract: str
    keywords: tuple[str, ...]
    discipline: str | None


def load_csl(directory: Path = CSL_DIR) -> list[Paper]:
    """Rows of the CSL sample if present, else []. See /work/shared/data/csl/README.md."""
    disciplines: dict[str, str] = {}
    for name in ("cls_dcp_dev.tsv", "cls_dcp_test.tsv"):
        path = directory / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) == 3:
                    disciplines[parts[1].strip()] = parts[2].strip()
    papers: list[Paper] = []
    for name in ("kg_dev.tsv", "kg_test.tsv"):
        path = directory / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 3:
                continue
            abstract, _, title = parts[1].strip().rpartition(" ")
            keywords = tuple(k for k in parts[2].split("_") if k)
            papers.append(Paper(title, abstract, keywords, disciplines.get(abstract.strip())))
    return papers


def now_stamp(rng: random.Random) -> str:
    return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"


_CITY_CODES = ("220102", "220104", "220172", "220202", "220204", "220302", "220402", "220502", "220602",
               "220702", "220802", "222401")
_NAME_PARTS = ("长春", "吉林", "四平", "通化", "白山", "松原", "延边", "辽源", "白城")
_NAME_SUFFIX = ("大学", "理工学院", "农业科学院", "化工研究院", "光电科技有限公司", "生物制药股份有限公司",
                "汽车零部件有限公司", "新材料科技有限公司", "智能装备有限公司", "医学研究所")


def make_institutions(n: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        suffix = rng.choice(_NAME_SUFFIX)
        org_type = "university" if suffix.endswith(("大学", "学院")) else (
            "institute" if suffix.endswith(("院", "所")) else "enterprise")
        rows.append({
            "id": uuid7(), "name": f"{rng.choice(_NAME_PARTS)}{suffix}{i}", "org_type": org_type,
            "region_code": rng.choice(_CITY_CODES), "updated_at": now_stamp(rng), "deleted": False,
        })
    assert {r["org_type"] for r in rows} <= set(ORG_TYPE.values())
    return rows


def achievements_from_papers(
    n: int, papers: Sequence[Paper], institutions: Sequence[Mapping[str, Any]], rng: random.Random
) -> list[dict[str, Any]]:
    """n achievements whose title, summary and keywords come from (different) real papers, so 100,000
    distinct rows keep the character statistics of real Chinese technical text."""
    modes = TRANSFER_MODE.values()
    rows = []
    for _ in range(n):
        a, b = rng.choice(papers), rng.choice(papers)
        rows.append({
            "id": uuid7(), "title": a.title, "keywords": list(a.keywords), "summary": b.abstract,
            "domain": a.discipline, "institution_id": rng.choice(institutions)["id"],
            "trl": rng.randint(1, 9), "transfer_modes": rng.sample(modes, rng.randint(1, 2)),
            "updated_at": now_stamp(rng), "deleted": False,
        })
    return rows


def plain_engine(path: Path) -> Engine:
    """A store with the entity tables, through open_store when the store module exists."""
    try:
        from specialist_app.store.db import open_store
    except ImportError:
        engine = create_engine(f"sqlite+pysqlite:///{path}")
        metadata.create_all(engine)
        return engine
    return open_store(path).engine


def insert_rows(conn: Connection, entity: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Plain inserts (no services, no index): for setting up a search benchmark only."""
    table = ENTITY_TABLES[entity]
    columns = set(table.c.keys())
    for i in range(0, len(rows), 5000):
        chunk = [{c: r.get(c) for c in columns} for r in rows[i : i + 5000]]
        conn.execute(table.insert(), chunk)


@contextmanager
def timed(label: str, figures: dict[str, float]) -> Iterator[None]:
    """Wall time in figures[label], this process's CPU time in figures[label + "_cpu"]."""
    start, cpu = perf_counter(), process_time()
    yield
    figures[label] = perf_counter() - start
    figures[label + "_cpu"] = process_time() - cpu


def percentiles(samples: Sequence[float]) -> tuple[float, float, float]:
    """(p50, p95, max) in milliseconds."""
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95, ms[-1]


def sample_runs(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = perf_counter()
        fn()
        out.append(perf_counter() - start)
    return out
