"""`specialist-app match` and `specialist-app search` through the real entry point, on a store seeded directly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from specialist_app import paths
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store


def cli(data_dir: Path, *args: str, lang: str = "zh_CN") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specialist_app.cli.main", "--data-dir", str(data_dir), "--lang", lang, *args],
        capture_output=True, text=True, timeout=120, check=False,
    )


def _seed(data_dir: Path) -> dict[str, str]:
    store = open_store(paths.store_path(data_dir, paths.current_profile(data_dir)))
    try:
        with UnitOfWork(store) as uow:
            inst = records.create(uow, "institution", {"name": "吉林大学", "org_type": "university",
                                                       "region_code": "220102"})
            enterprise = records.create(uow, "institution", {"name": "长春某生物科技有限公司",
                                                             "org_type": "enterprise", "region_code": "220104"})
            ids = {
                "demand": records.create(uow, "demand", {
                    "title": "秸秆酶解制糖技术需求", "institution_id": enterprise, "demand_type": "adoption",
                    "problem": "玉米秸秆酶解效率低", "keywords": ["秸秆", "酶解"], "coop_modes": ["license"]}),
                "good": records.create(uow, "achievement", {
                    "title": "玉米秸秆酶解制备低聚木糖", "institution_id": inst, "keywords": ["酶解"], "trl": 7,
                    "transfer_modes": ["license"]}),
                "expert": records.create(uow, "expert", {"name": "王秸秆", "specialties": "秸秆酶解"}),
            }
            records.create(uow, "achievement", {"title": "汽车副车架", "institution_id": inst})
            uow.commit()
    finally:
        store.close()
    return ids


def _json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_match_prints_ranked_suggestions_with_reasons(tmp_path: Path) -> None:
    ids = _seed(tmp_path)
    found = _json(cli(tmp_path, "match", "demand", ids["demand"], "--json", "--limit", "5"))
    achievements = found["suggestions"]["achievement"]["items"]
    assert [a["id"] for a in achievements] == [ids["good"]]
    assert {"shared_terms", "trl_mature", "modes_fit", "same_city"} <= {r["code"] for r in achievements[0]["reasons"]}
    assert [e["id"] for e in found["suggestions"]["expert"]["items"]] == [ids["expert"]]
    text = cli(tmp_path, "match", "demand", ids["demand"], "--target", "achievement").stdout
    assert "玉米秸秆酶解制备低聚木糖" in text and "共同关键词" in text and "同一城市" in text
    english = cli(tmp_path, "match", "achievement", ids["good"], lang="en").stdout
    assert "秸秆酶解制糖技术需求" in english and "Shared terms" in english
    assert cli(tmp_path, "match", "demand", "no-such-id").returncode == 1


def test_search_prints_totals_by_where_and_suggestions(tmp_path: Path) -> None:
    ids = _seed(tmp_path)
    page = _json(cli(tmp_path, "search", "酶解", "--entity", "achievement", "--json"))
    assert [h["id"] for h in page["hits"]] == [ids["good"]] and page["total_text"] == 1
    page = _json(cli(tmp_path, "search", "吉林大学", "--entity", "achievement", "--json"))
    assert (page["total"], page["total_text"], page["total_by"]) == (2, 0, 2)
    assert _json(cli(tmp_path, "search", "%", "--json"))["unsearchable"] is True
    assert _json(cli(tmp_path, "search", "秸杆酶解", "--json"))["suggestion"] == "秸秆酶解"
    assert "按单位或人员找到 2 条" in cli(tmp_path, "search", "吉林大学", "--entity", "achievement").stdout


def test_match_marks_a_suggestion_held_only_as_a_digest(tmp_path: Path) -> None:
    """An out-of-province achievement the store holds as a digest is suggested, marked with its province."""
    from specialist_app.services import sync_ops

    ids = _seed(tmp_path)
    far, beijing = "0192a3b4-0000-7000-8000-00000000c002", "0192a3b4-0000-7000-8000-00000000c001"
    store = open_store(paths.store_path(tmp_path, paths.current_profile(tmp_path)))
    try:
        common = {"version": 2, "deleted": False, "province": "11", "institution_name": "北京生物质研究院",
                  "org_type": "institute", "updated_at": "2026-12-01T00:00:00Z"}
        sync_ops.apply_digest_page(store, {"cursor": 3, "has_more": False, "home_province": "22", "digests": [
            {**common, "entity": "institution", "id": beijing,
             "fields": {"name": "北京生物质研究院", "region_code": "110108"}},
            {**common, "entity": "achievement", "id": far, "fields": {
                "title": "秸秆酶解制备功能糖技术", "institution_id": beijing, "keywords": ["秸秆", "酶解"],
                "trl": 7, "transfer_modes": ["license"]}}]})
    finally:
        store.close()
    found = _json(cli(tmp_path, "match", "demand", ids["demand"], "--target", "achievement", "--json"))
    items = {a["id"]: a for a in found["suggestions"]["achievement"]["items"]}
    assert items[far]["digest_province"] == "11" and items[ids["good"]]["digest_province"] is None
    assert "same_city" not in {r["code"] for r in items[far]["reasons"]}
    lines = cli(tmp_path, "match", "demand", ids["demand"], "--target", "achievement").stdout
    assert "[摘要 · 北京市] 秸秆酶解制备功能糖技术" in lines
    english = cli(tmp_path, "match", "demand", ids["demand"], "--target", "achievement", lang="en").stdout
    assert "[Digest · Beijing] 秸秆酶解制备功能糖技术" in english


def test_search_says_more_than_the_cap_without_a_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """In process (the cap lowered to 1): a total above it is "more than", the split by where is not counted."""
    from specialist_app.cli.main import main
    from specialist_app.services import search

    ids = _seed(tmp_path)
    monkeypatch.setattr(search, "COUNT_CAP", 1)
    args = ["--data-dir", str(tmp_path), "search", "吉林大学", "--entity", "achievement"]
    assert main([*args, "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert (page["total"], page["total_capped"], page["total_text"], page["total_by"]) == (1, True, None, None)
    assert len(page["hits"]) == 2 and ids["good"] in {h["id"] for h in page["hits"]}
    assert main([*args, "--lang", "zh_CN"]) == 0 and "超过 1 条" in capsys.readouterr().out
    assert main([*args, "--lang", "en"]) == 0 and "More than 1 found" in capsys.readouterr().out
