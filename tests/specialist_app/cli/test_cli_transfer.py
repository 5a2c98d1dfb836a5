"""The specialist-app command through its real entry point (a subprocess): exit codes, output, no tracebacks."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from specialist_app.cli.main import main


def run(data_dir: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("SPECIALIST_APP_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "specialist_app.cli.main", "--data-dir", str(data_dir), *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=False,
    )


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str | Path) -> tuple[int, str, str]:
    """In-process run of the same main() (a subprocess costs about a second of start-up each)."""
    code = main(["--data-dir", str(data_dir), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_import_export_status_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    institutions = write_csv(tmp_path / "机构.csv", [["名称", "机构类型"], ["吉林大学", "高等院校"]], "gbk")
    done = run(data, "import", institutions)  # the real entry point, as a user runs it
    assert (done.returncode, done.stderr) == (0, "")
    assert "全部 1 行已导入" in done.stdout

    bad = write_csv(tmp_path / "成果.csv", [["成果名称", "成果权属单位"], ["甲", "吉林大学"], ["乙", "北京大学"]])
    code, out, _ = cli(capsys, data, "import", bad, "--json", "--lang", "en")
    assert code == 1
    report = json.loads(out)
    assert report["written"] is False
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [(3, "成果权属单位", "unknown_ref")]
    assert report["errors"][0]["message"] == "Owner institution: no Institution named “北京大学”"

    code, out, _ = cli(capsys, data, "--lang", "en", "import", bad, "--skip-invalid")
    assert code == 0
    assert "Imported 1 rows; skipped 1 rows with problems" in out

    code, out, _ = cli(capsys, data, "status", "--json")
    assert code == 0
    status = json.loads(out)
    assert status["profile"] == "local"
    assert Path(status["store"]).is_file() and Path(status["store"]).is_relative_to(data)
    assert (status["records"]["institution"], status["records"]["achievement"]) == (1, 1)
    assert (status["outbox"]["institution"], status["outbox"]["achievement"]) == (1, 1)
    code, out, _ = cli(capsys, data, "status", "--lang", "en")
    assert "Records: Institution 1, Contact 0" in out and "Changes waiting to sync: Institution 1" in out

    exported = tmp_path / "all.xlsx"
    code, _, _ = cli(capsys, data, "export", exported, "--lang", "en")
    assert code == 0 and exported.is_file()
    code, out, err = cli(capsys, tmp_path / "fresh", "import", exported)
    assert code == 0, out + err
    assert "全部 2 行已导入" in out


def test_template_command_writes_an_importable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "institution.xlsx"
    code, _, _ = cli(capsys, tmp_path / "data", "template", "机构", path, "--lang", "en")
    assert code == 0 and path.is_file()
    code, out, _ = cli(capsys, tmp_path / "data", "import", path)
    assert code == 0, out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["import", "missing.csv"], "找不到文件"),
        (["import", "notes.pdf"], "不支持的文件格式"),
        (["import", "x.csv", "--entity", "planet"], "未知的记录类型"),
        (["export", "out.csv"], "导出文件须为 .xlsx 或 .json"),
        (["template", "planet", "t.xlsx"], "未知的记录类型"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_and_file_errors_exit_2_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    write_csv(tmp_path / "x.csv", [["名称"], ["甲"]])
    assert main(["--data-dir", str(tmp_path / "data"), *args]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_damaged_store_prints_its_message_and_exits_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store_file = data / "profiles" / "local" / "store.sqlite3"
    store_file.parent.mkdir(parents=True)
    store_file.write_bytes(b"this is not a database" * 100)
    done = run(data, "status", "--lang", "en")
    assert done.returncode == 2
    assert "damaged" in done.stderr and str(store_file) in done.stderr
    assert "Traceback" not in done.stderr
