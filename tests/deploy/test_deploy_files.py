"""deploy/: systemd units verify and stay hardened, the nginx example passes `nginx -t`, the doc names real settings."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from market_server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = {"market-server.service": "market-server.service", "market-server@.service": "market-server@8765.service"}
INSTALLED_PATH = "/opt/market-server/venv/bin/market-server"
MAX_EXPOSURE = 2.0  # systemd-analyze security: "OK" is below 4; ours is ~1.4
SECTIONS = {"Unit", "Service", "Install", "Timer"}


def local_unit(tmp_path: Path, source: str, name: str) -> Path:
    """The unit with ExecStart pointing at this environment's market-server (verify checks the binary exists)."""
    script = Path(sys.executable).with_name("market-server")
    unit = tmp_path / name
    unit.write_text((DEPLOY / source).read_text(encoding="utf-8").replace(INSTALLED_PATH, str(script)),
                    encoding="utf-8")
    return unit


@pytest.mark.parametrize("source", sorted(UNITS))
def test_unit_file_parses(source: str) -> None:
    section = None
    for number, line in enumerate((DEPLOY / source).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if match := re.fullmatch(r"\[(\w+)\]", line):
            section = match.group(1)
            assert section in SECTIONS, f"{source}:{number}: unknown section {line}"
            continue
        assert section is not None and re.fullmatch(r"[A-Z][A-Za-z]+=.*", line), f"{source}:{number}: {line!r}"
    text = (DEPLOY / source).read_text(encoding="utf-8")
    assert f"ExecStart={INSTALLED_PATH} serve --host 127.0.0.1 " in text
    assert "User=market" in text and "EnvironmentFile=/etc/market-server/market-server.env" in text


@pytest.mark.parametrize("source", sorted(UNITS))
def test_systemd_analyze_verify_and_security(tmp_path: Path, source: str) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (test_unit_file_parses still checks the syntax)")
    unit = local_unit(tmp_path, source, UNITS[source])
    verified = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False,
                              timeout=60)
    # verify exits 0 on unknown keys and misplaced settings; any message about the unit is a defect.
    assert verified.returncode == 0 and unit.name not in verified.stdout + verified.stderr, verified.stderr
    security = subprocess.run(["systemd-analyze", "security", "--offline=yes", str(unit)], capture_output=True,
                              text=True, check=False, timeout=60)
    found = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
    if found is None:
        pytest.skip(f"systemd-analyze security --offline is not supported here: {security.stderr.strip()}")
    assert float(found.group(1)) <= MAX_EXPOSURE, security.stdout


def test_gc_service_and_timer_verify(tmp_path: Path) -> None:
    for name in ("market-server-gc.service", "market-server-gc.timer"):
        for number, line in enumerate((DEPLOY / name).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("#") and not re.fullmatch(r"\[(\w+)\]", line):
                assert re.fullmatch(r"[A-Z][A-Za-z]+=.*", line), f"{name}:{number}: {line!r}"
    assert f"ExecStart={INSTALLED_PATH} gc\n" in (DEPLOY / "market-server-gc.service").read_text(encoding="utf-8")
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    service = local_unit(tmp_path, "market-server-gc.service", "market-server-gc.service")
    timer = tmp_path / "market-server-gc.timer"
    timer.write_text((DEPLOY / "market-server-gc.timer").read_text(encoding="utf-8"), encoding="utf-8")
    verified = subprocess.run(["systemd-analyze", "verify", str(timer), str(service)], capture_output=True, text=True,
                              check=False, timeout=60)
    assert verified.returncode == 0 and "market-server-gc" not in verified.stdout + verified.stderr, verified.stderr


def test_nginx_example_passes_nginx_t(tmp_path: Path) -> None:
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx (or openssl) is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=market.example.cn", "-keyout", str(key), "-out", str(cert)], check=True,
                   capture_output=True, timeout=60)
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/nginx/tls/market.example.cn.fullchain.pem", str(cert))
    site = site.replace("/etc/nginx/tls/market.example.cn.key", str(key))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                    f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path}/body;\n"
                    f"  include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    checked = subprocess.run([nginx, "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True,
                             check=False, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_nginx_body_limit_fits_the_servers_largest_cap() -> None:
    from sync.protocol import MAX_BLOB_CHUNK_BYTES, MAX_PUSH_BODY_BYTES

    found = re.search(r"client_max_body_size (\d+)m;", (DEPLOY / "nginx.conf").read_text(encoding="utf-8"))
    assert found is not None
    largest = max(MAX_BLOB_CHUNK_BYTES, MAX_PUSH_BODY_BYTES)
    assert largest < int(found.group(1)) * 1024 * 1024 <= largest + 2 * 1024 * 1024


def test_nginx_rate_limits_the_password_sign_ins() -> None:
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"limit_req_zone \$binary_remote_addr zone=market_login:\S+ rate=\d+r/m;", conf)
    login = conf[conf.index("location ~ ^/(auth/login|admin/login)$"):]
    assert "limit_req zone=market_login" in login[:login.index("}")]


def test_documented_settings_are_the_ones_the_server_reads() -> None:
    read = set(re.findall(r'"(MARKET_[A-Z_]+)"', inspect.getsource(Settings.from_env)))
    for document in (ROOT / "docs" / "deploy.md", DEPLOY / "market-server.env.example"):
        named = set(re.findall(r"\bMARKET_[A-Z_]+[A-Z]\b", document.read_text(encoding="utf-8")))
        assert named - {"MARKET_TEST_POSTGRES_URL"} <= read, f"{document.name}: {sorted(named - read)}"
    assert read <= set(re.findall(r"\bMARKET_[A-Z_]+[A-Z]\b", (ROOT / "docs" / "deploy.md").read_text("utf-8")))
