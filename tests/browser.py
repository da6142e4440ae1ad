"""The system's headless Chromium, driven by Selenium through the system's chromedriver.

Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs both). Selenium is
given both paths, so its Selenium Manager never looks for (or downloads) a driver or a
browser of its own; ``SE_OFFLINE`` says the same to any Selenium that would still ask.
The machine's network is closed, so every background service of Chromium is off, and
each browser gets a fresh profile directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1800",
)


def require_chromium() -> None:
    """Skip where no Chromium is installed, except in CI, which installs it: there its
    absence is a failure, not a reason to skip."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    reason = (
        f"no system Chromium ({', '.join(missing)} missing): "
        "`apt-get install chromium chromium-driver` (as .ci/run does)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def chromium(profile: Path) -> Iterator:
    """A headless Chromium with a fresh profile in ``profile``; quit on exit."""
    require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
