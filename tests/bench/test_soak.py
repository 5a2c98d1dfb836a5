"""bench/soak.py keeps its figures in a file when asked, so a soak stopped early keeps what it ran."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("soak_under_test", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_figures_file_adds_new_runs_to_the_ones_already_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    soak = _soak()
    kept = tmp_path / "soak.jsonl"
    kept.write_text(json.dumps({"test": "api_fuzz", "requests": 100, "server_errors": 0}) + "\n")
    seen_env: list[dict[str, str]] = []

    def fake_pytest(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[bytes]:
        # Stands in for `pytest tests/reliability`: the tests append their figures to $RELIABILITY_FIGURES.
        env = kw["env"]
        seen_env.append(env)
        with open(env["RELIABILITY_FIGURES"], "a") as out:
            out.write(json.dumps({"test": "api_fuzz", "requests": 7, "server_errors": 0}) + "\n")
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(soak.subprocess, "run", fake_pytest)
    assert soak.main(["--scale", "2", "--seed", "5", "--figures", str(kept)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["compass"]["fuzzed_requests"] == 107  # the kept run and the new one
    assert seen_env[0]["RELIABILITY_SEED"] == "5" and Path(seen_env[0]["RELIABILITY_FIGURES"]) == kept
    assert len(kept.read_text().splitlines()) == 2  # the new run's figures were kept too


def test_without_a_figures_file_a_run_counts_only_itself(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    soak = _soak()

    def fake_pytest(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[bytes]:
        with open(kw["env"]["RELIABILITY_FIGURES"], "a") as out:
            out.write(json.dumps({"test": "server_crash", "crashes": 3, "lost": 0}) + "\n")
        return subprocess.CompletedProcess(cmd, 1)

    monkeypatch.setattr(soak.subprocess, "run", fake_pytest)
    assert soak.main(["--scale", "1"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["compass"]["kills_server"] == 3 and report["failed_seeds"] == [0]
