"""Speed, time left and the first-sync catalog choice: pure arithmetic over progress reports."""

from __future__ import annotations

from specialist_app.cli.progress import progress_line
from specialist_app.sync_engine.rate import RateMeter
from specialist_app.sync_engine.snapshot import pages_sooner


def test_speed_and_time_left_come_after_a_second_of_reports_and_a_new_phase_starts_over() -> None:
    now = [0.0]
    meter = RateMeter(lambda: now[0])
    assert meter.update("snapshot", 0, 1_000_000) == (None, None)
    now[0] = 0.5
    assert meter.update("snapshot", 16_000, 1_000_000) == (None, None)
    now[0] = 2.0
    assert meter.update("snapshot", 64_000, 1_000_000) == (32_000.0, 29.25)
    assert meter.update("retry", 2, 5) == (None, None)
    now[0] = 2.5
    assert meter.update("pull", 200, None) == (None, None)


def test_the_snapshot_is_given_up_for_pages_below_about_800_kb_per_second() -> None:
    assert pages_sooner(34_000_000, 32_000)  # a hotel hotspot: 256 kbit/s
    assert pages_sooner(34_000_000, 600_000)
    assert not pages_sooner(34_000_000, 1_000_000)
    assert not pages_sooner(34_000_000, 50_000_000)  # the office LAN


def test_the_cli_line_says_retries_and_time_left_in_both_languages() -> None:
    assert progress_line("retry", 2, 5, None, None, "zh_CN") == "网络不稳定，正在重试（2/5）"
    assert progress_line("retry", 2, 5, None, None, "en") == "Network unstable, retrying (2/5)"
    assert progress_line("snapshot", 3_000_000, 34_000_000, 31_000.0, 1080.0, "zh_CN") == (
        "正在下载大市场目录：3.0 / 34.0 MB（31 kB/s，约剩 18 分钟）")
    assert progress_line("pull", 400, None, None, None, "en") == "Receiving the market's changes: 400"
    # The installed catalog is searchable while its pages are written into the store file.
    assert progress_line("checkpoint", 0, 1, None, None, "zh_CN") == "大市场目录已安装，正在写入磁盘（现在即可检索）…"
