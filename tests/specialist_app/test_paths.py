"""Data directory and profile paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from specialist_app import paths


def test_data_dir_prefers_override_then_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "env"))
    assert paths.data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert (tmp_path / "flag").is_dir()
    assert paths.data_dir() == tmp_path / "env"
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    monkeypatch.setattr(paths.platformdirs, "user_data_path", lambda *a, **k: tmp_path / "platform")
    assert paths.data_dir() == tmp_path / "platform"


def test_profile_key_is_safe_stable_and_distinct() -> None:
    a = paths.profile_key("https://market.example.cn/", "张三")
    assert a == paths.profile_key("https://MARKET.example.cn", "张三")
    assert a != paths.profile_key("https://market.example.cn", "李四")
    assert a != paths.profile_key("https://other.example.cn", "张三")
    assert paths.profile_key("https://h.cn", "Ann") != paths.profile_key("https://h.cn", "ann")
    weird = paths.profile_key("http://10.0.0.1:8000/api", "../../etc/passwd")
    for key in (a, weird):
        assert all(ch.isascii() and (ch.isalnum() or ch in "-._") for ch in key)
        assert "/" not in key and ".." not in key


def test_profiles_roundtrip(tmp_path: Path) -> None:
    assert paths.current_profile(tmp_path) == paths.LOCAL_PROFILE
    store = paths.store_path(tmp_path, paths.LOCAL_PROFILE)
    assert store.parent == tmp_path / "profiles" / "local" and store.parent.is_dir()
    key = paths.profile_key("https://m.cn", "zhang")
    paths.set_current_profile(tmp_path, key, server_url="https://m.cn", username="zhang")
    assert paths.current_profile(tmp_path) == key
    listed = {p["profile"]: p for p in paths.list_profiles(tmp_path)}
    assert listed[key] == {"profile": key, "server_url": "https://m.cn", "username": "zhang"}
    assert listed["local"]["server_url"] == ""
    paths.set_current_profile(tmp_path, paths.LOCAL_PROFILE)
    assert paths.current_profile(tmp_path) == "local"
    assert {p["profile"] for p in paths.list_profiles(tmp_path)} == {key, "local"}


def test_bad_profile_names_and_corrupt_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        paths.profile_dir(tmp_path, "../outside")
    (tmp_path / "profiles.json").write_text("{not json", encoding="utf-8")
    assert paths.current_profile(tmp_path) == paths.LOCAL_PROFILE
