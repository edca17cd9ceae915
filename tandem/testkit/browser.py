"""Helpers for the real-browser journeys: logging in and accessibility checks.

axe-core comes from the npm registry (pinned below) and is installed by the
test set-up into ``.cache/axe-core``; the test injects it into each page it
visits. Nothing is fetched by the page itself, so the site's CSP and its
"no third-party request" rule stay as they are.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from tandem.testkit.base import PASSWORD

AXE_VERSION = "4.14.1"
ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = ROOT / ".cache" / "axe-core"
AXE_FILE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 levels A and AA, nothing else (best-practice rules are advice). axe's
# wcag22aa rule is target size (2.5.8); what axe cannot check of 2.2 is measured
# in the browser by testkit.a11y (targets everywhere, focus under the bars).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    """The axe-core script, installing it from npm the first time.

    Test workers run side by side (pytest-xdist): a lock file makes the first
    one install while the others wait, so no worker reads a half-written copy."""
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    with open(AXE_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _install_axe()
    return AXE_FILE.read_text()


def _install_axe() -> None:
    if not AXE_FILE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed once to install axe-core for the accessibility checks.")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - a fixed npm command, no user input
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_DIR),
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "npm_config_update_notifier": "false"},
        )


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; returns the WCAG 2.2 A/AA violations."""
    # evaluate() runs through the DevTools protocol, so the page's CSP
    # (no inline script) does not apply to it.
    page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def assert_accessible(page) -> None:
    """Fail with a readable list when the page has any WCAG 2.2 A/AA violation."""
    violations = axe_violations(page)
    if violations:
        lines = [f"{page.url}: {len(violations)} accessibility violation(s)"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
        raise AssertionError("\n".join(lines))


def log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_out(page, base: str) -> None:
    """Log out as a person would: on a phone the button is on the profile page (the top
    bar has no room for it); on a wide screen it is in the top bar of that page too."""
    page.goto(f"{base}/account/profile/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: "/account/profile/" not in url)
