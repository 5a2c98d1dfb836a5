"""The web console in a real browser (Debian's headless Chromium through chromedriver) against a real server,
and a specialist's app (the `specialist-app` CLI) that sees the administrator's work after its next sync.

Set CONSOLE_SCREENSHOTS_DIR=docs/screenshots to refresh the screenshots in the docs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.conftest import Client, Market

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and DRIVER.exists()),
                                reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN")
TAG = "浏览器测试"

if CHROMIUM.exists():
    from selenium import webdriver
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(str(DRIVER)), options=options)  # a given driver: nothing downloaded
    browser.implicitly_wait(5)
    yield browser
    browser.quit()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot(driver: webdriver.Chrome, folder: Path, name: str) -> None:
    """The whole page (up to 2400 px tall) at 1280 px wide."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1280, "height": max(600, min(height, 2400)), "deviceScaleFactor": 1, "mobile": False})
    assert driver.save_screenshot(str(folder / f"console_{name}.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _wait(driver: webdriver.Chrome, done: Callable[[webdriver.Chrome], bool]) -> None:
    """Until the page that a click asked for is there (the old page may still answer for a moment)."""
    WebDriverWait(driver, 60, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(done)


def _notice(driver: webdriver.Chrome, expected: str) -> None:
    _wait(driver, lambda d: d.find_element(By.ID, "notice").text == expected)


def test_an_administrators_day(driver: webdriver.Chrome, market: Market, tmp_path: Path, shots: Path) -> None:
    market.add_user("chief", "admin")
    market.add_user("alice", "specialist")
    alice = Client(tmp_path / "alice", tmp_path / "alice.keyring.json")
    alice.login(market.url, "alice")
    proposal = alice.create("institution", {"name": f"{TAG}研究院", "org_type": "institute"})
    doubtful = alice.create("institution", {"name": "月球背面技术转移中心", "org_type": "other"})
    assert alice.sync()["exit"] == 0
    admin = market.url + "/admin"

    # Sign in (the same account as everywhere, administrators only).
    driver.get(admin + "/")
    assert driver.current_url.endswith("/admin/login")
    driver.find_element(By.ID, "username").send_keys("chief")
    driver.find_element(By.ID, "password").send_keys("pw-chief-123456")
    _shot(driver, shots, "signin")
    driver.find_element(By.ID, "sign-in").click()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == "概览")
    assert "alice" in driver.find_element(By.ID, "specialists").text

    # Import a file with a bad row: the error is shown with row, column and reason before anything is written.
    csv = tmp_path / "机构.csv"
    csv.write_text("名称,机构类型\n" + "".join(f"{TAG}{n},高等院校\n" for n in ("大学一", "大学二", "大学三"))
                   + f"{TAG}坏行,火星机构\n" + f"{TAG}研究院有限公司,企业\n", encoding="utf-8")
    driver.get(admin + "/import")
    driver.find_element(By.ID, "file").send_keys(str(csv))
    driver.find_element(By.ID, "check").click()
    errors = driver.find_element(By.ID, "row-errors").text
    assert "5" in errors and "机构类型" in errors and "火星机构" in errors
    _shot(driver, shots, "import")
    driver.find_element(By.ID, "import").click()
    _notice(driver, "已导入 4 条记录")

    # Assign two of them to alice in one go.
    driver.get(admin + "/institutions")
    driver.find_element(By.ID, "q").send_keys(f"{TAG}大学")
    driver.find_element(By.ID, "search").click()
    _wait(driver, lambda d: "q=" in d.current_url)
    for name in ("大学一", "大学二"):
        driver.find_element(By.CSS_SELECTOR, f'input[aria-label="{TAG}{name}"]').click()
    Select(driver.find_element(By.ID, "bulk-specialist")).select_by_value("alice")
    driver.find_element(By.ID, "apply").click()
    _notice(driver, "已将 2 个机构分配给 alice")
    _shot(driver, shots, "institutions")

    # Approve alice's proposal, shown beside its likely twin from the import.
    driver.get(admin + "/review")
    card = driver.find_element(By.ID, f"proposal-{proposal}")
    assert f"{TAG}研究院有限公司" in card.text
    _shot(driver, shots, "review")
    card.find_element(By.CSS_SELECTOR, "button.approve").click()
    _notice(driver, f"已通过：{TAG}研究院")
    card = driver.find_element(By.ID, f"proposal-{doubtful}")
    card.find_element(By.CSS_SELECTOR, "input.reason").send_keys("查无此机构，请核实名称")
    card.find_element(By.CSS_SELECTOR, "button.reject").click()
    _notice(driver, "已驳回：月球背面技术转移中心")

    # The specialist's app sees all of it after one sync.
    assert alice.sync()["exit"] == 0
    assert alice.get("institution", proposal)["status"] == "active"  # type: ignore[index]
    refused = alice.get("institution", doubtful)
    assert refused and (refused["status"], refused["review_note"]) == ("rejected", "查无此机构，请核实名称")
    mine = alice.scalar(
        "SELECT group_concat(i.name, ',') FROM assigned_institution a JOIN institution i ON i.id = a.institution_id")
    expected = [f"{TAG}大学一", f"{TAG}大学二", f"{TAG}研究院", "月球背面技术转移中心"]  # and her proposals
    assert sorted(str(mine).split(",")) == sorted(expected)
    first = str(alice.scalar("SELECT id FROM institution WHERE name = ?", f"{TAG}大学一"))
    for purpose in ("技术需求调研", "成果对接洽谈"):
        alice.create("visit", {"institution_id": first, "status": "done", "visited_at": _now(), "purpose": purpose})
    alice.create("achievement", {"title": f"{TAG}新型催化剂", "institution_id": first, "review_status": "pending"})
    assert alice.sync()["exit"] == 0

    # The same achievement entered again (traditional characters): flagged on push, decided side by side.
    twin = alice.create("achievement", {"title": f"{TAG}新型催化劑", "institution_id": first, "keywords": ["催化"]})
    assert alice.sync()["exit"] == 0
    assert alice.get("achievement", twin)["duplicate_state"] == "suspected"  # type: ignore[index]
    driver.get(admin + "/duplicates")
    card = driver.find_element(By.CSS_SELECTOR, "section.card")
    assert f"{TAG}新型催化劑" in card.text and f"{TAG}新型催化剂" in card.text and f"{TAG}大学一" in card.text
    _shot(driver, shots, "duplicates")
    card.find_element(By.CSS_SELECTOR, "button.confirm-duplicate").click()
    driver.switch_to.alert.accept()  # "mark the record on the left as a duplicate?"
    _notice(driver, f"已确认重复：{TAG}新型催化劑 是 {TAG}新型催化剂 的重复")
    assert alice.sync()["exit"] == 0
    assert alice.get("achievement", twin)["duplicate_state"] == "confirmed"  # type: ignore[index]

    # The other pages, for the record (and the docs' screenshots).
    driver.get(admin + "/reports")
    assert driver.find_element(By.ID, "report").text.split("alice")[1].split()[0] == "2"  # her two visits
    for page, name in (("/", "overview"), ("/review", "review_achievement"), ("/accounts", "accounts"),
                       ("/accounts/alice/devices", "devices"), ("/reports", "reports"), ("/audit", "audit")):
        driver.get(admin + page)
        assert driver.find_element(By.TAG_NAME, "h1").text
        _shot(driver, shots, name)
    assert "通过机构提议" in driver.find_element(By.ID, "audit").text
    assert "确认重复" in driver.find_element(By.ID, "audit").text
    driver.get(admin + "/")
    driver.find_element(By.ID, "switch-lang").click()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Overview")
    _shot(driver, shots, "overview_en")
    driver.find_element(By.ID, "switch-lang").click()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == "概览")
    driver.find_element(By.ID, "sign-out").click()
    _wait(driver, lambda d: d.current_url.endswith("/admin/login?notice=signed_out"))
