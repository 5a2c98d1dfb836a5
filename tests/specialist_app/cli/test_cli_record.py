"""`specialist-app record` and `status` through the real entry point: offline edits land in the outbox."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def cli(data_dir: Path, *args: str, lang: str = "zh_CN") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specialist_app.cli.main", "--data-dir", str(data_dir), "--lang", lang, *args],
        capture_output=True, text=True, timeout=120, check=False,
    )


def as_json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_add_edit_show_delete_and_status(tmp_path: Path) -> None:
    added = as_json(cli(tmp_path, "record", "add", "institution", "--set", "名称=吉林大学",
                        "--set", "机构类型=高等院校", "--json"))
    inst = added["id"]
    contact = as_json(cli(tmp_path, "record", "add", "contact", "--values-json",
                          json.dumps({"institution_id": inst, "name": "李老师", "phone": "0431-85166000"}),
                          "--json"))["id"]
    assert cli(tmp_path, "record", "edit", "institution", inst, "--set", "Region code=220102",
               lang="en").returncode == 0
    shown = as_json(cli(tmp_path, "record", "show", "institution", inst, "--json"))
    assert (shown["name"], shown["org_type"], shown["region_code"]) == ("吉林大学", "university", "220102")
    text = cli(tmp_path, "record", "show", "institution", inst).stdout
    assert "机构类型: 高等院校" in text

    status = as_json(cli(tmp_path, "status", "--json"))
    assert status["outbox"]["institution"] == 1  # create + edit coalesced into one unsent change
    assert status["outbox"]["contact"] == 1
    assert (status["pending_changes"], status["open_conflicts"], status["rejected_changes"]) == (2, 0, 0)
    assert status["last_sync_at"] is None

    assert cli(tmp_path, "record", "delete", "contact", contact).returncode == 0
    assert cli(tmp_path, "record", "show", "contact", contact).returncode == 1


def test_bad_values_are_refused_with_the_reason_and_nothing_written(tmp_path: Path) -> None:
    inst = as_json(cli(tmp_path, "record", "add", "institution", "--set", "name=长春理工大学",
                       "--set", "org_type=university", "--json"))["id"]
    done = cli(tmp_path, "record", "edit", "institution", inst, "--set", "region_code=2201")
    assert done.returncode == 1
    assert "“行政区划”应为 6 位行政区划代码" in done.stderr
    assert as_json(cli(tmp_path, "record", "show", "institution", inst, "--json"))["region_code"] is None
    done = cli(tmp_path, "record", "add", "achievement", "--set", "trl=12", lang="en")
    assert done.returncode == 1
    assert "Title is required" in done.stderr and "TRL must be between 1 and 9" in done.stderr
    assert cli(tmp_path, "record", "add", "institution", "--set", "no-equals-sign").returncode == 2
    assert cli(tmp_path, "record", "add", "institution", "--values-json", "[1]").returncode == 2
