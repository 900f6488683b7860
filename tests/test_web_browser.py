"""The web app in a real browser: headless Debian Chromium (/usr/bin/chromium) driven by npm's
playwright-core (tests/browser/, no browser download). Opens the example cluster's story page,
clicks a citation and checks that the highlighted text is the cited span, opens the article page,
loads the HTML reports, checks the pages at 390 px (no sideways scroll) and with axe-core (no
serious or critical WCAG 2 A/AA violation), and saves screenshots under out/screens/.

Needs `make browser-deps` (apt chromium, npm playwright-core); skips with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from .conftest import EXAMPLES, ROOT
from .web_server import fill_store, running_server, write_evil

pytestmark = pytest.mark.integration

BROWSER_DIR = ROOT / "tests" / "browser"
SCREENS = ROOT / "out" / "screens"


def _chromium() -> str | None:
    for c in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if c and Path(c).exists():
            return c
    return None


@pytest.fixture(scope="module")
def tools():
    if _chromium() is None:
        pytest.skip("needs Debian's chromium (/usr/bin/chromium): make browser-deps")
    if shutil.which("node") is None:
        pytest.skip("needs node: make browser-deps")
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        pytest.skip("needs npm playwright-core in tests/browser/node_modules: make browser-deps")
    return {"chromium": _chromium(), "node": shutil.which("node")}


def test_story_page_in_a_browser(tools, tmp_path, pipeline):
    from newsweave.render import render_html

    db = tmp_path / "corpus.db"
    fill_store(db, [str(EXAMPLES)], pipeline)
    report = tmp_path / "report.html"
    assert __import__("newsweave.cli").cli.main(
        ["export", "--db", str(db), "--format", "html", "-o", str(report)]) == 0
    evil_report = tmp_path / "evil-report.html"
    evil_report.write_text(render_html(pipeline.run([str(write_evil(tmp_path))])))
    SCREENS.mkdir(parents=True, exist_ok=True)
    with running_server(db, tmp_path / "server.log") as base:
        proc = subprocess.run(
            [tools["node"], str(BROWSER_DIR / "check.mjs"), base, str(SCREENS),
             report.as_uri(), evil_report.as_uri()],
            check=False, capture_output=True, text=True, timeout=300, cwd=BROWSER_DIR,
            env={**os.environ, "CHROMIUM": tools["chromium"]})
        assert proc.returncode == 0, proc.stderr[-3000:]
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        assert "failure" not in out, out.get("failure")
        story_id = out["pages"]["story"]["url"].rsplit("/", 1)[-1]
        story = httpx.get(f"{base}/api/stories/{story_id}").json()
    cited = out["cited"]
    spans = [sp for s in story["summary"] for sp in s["citations"]
             if (sp["article"], sp["start"], sp["end"]) == (cited["article"], cited["start"], cited["end"])]
    assert spans, cited
    # the citation is a number, shows its words in place, and the URL carries it
    assert out["citeLabel"].strip("[]").isdigit(), out["citeLabel"]
    assert all(lab.strip("[]").isdigit() for lab in out["labels"]), out["labels"][:10]
    assert out["popover"] == spans[0]["text"]
    assert out["popoverHead"].startswith(out["citeLabel"])
    assert out["hashAfterClick"].startswith("#cite-")
    assert out["scrollAfterClick"] < 3000  # still at the summary, not the article text far below
    # each number has its line in the sources legend, with the outlet
    n = int(out["citeLabel"].strip("[]"))
    assert len(out["legend"]) >= n and out["legend"][n - 1].strip()
    # "show in the article" highlights the span in the article's text; Back closes the popover
    assert out["highlighted"] == spans[0]["text"]
    assert out["highlightInBody"] == f"body-{cited['article']}"
    assert out["afterBack"] == {"hash": "", "popovers": 0}, out["afterBack"]
    assert out["pages"]["article"]["highlighted"] == spans[0]["text"]
    assert out["pages"]["article"]["removed"] > 0  # cleaning's removals shown, greyed
    assert out["pages"]["article"]["removedColor"] != out["pages"]["article"]["keptColor"]
    clean_report = out["pages"]["extra0"]
    assert clean_report["popover"] == clean_report["citeText"]  # the report's script works
    assert clean_report["highlighted"] == clean_report["citeText"]
    # axe-core (WCAG 2 A and AA rules) on the list, story and article pages
    bad = {page: [v for v in found if v["impact"] in ("serious", "critical")]
           for page, found in out["axe"].items()}
    assert not any(bad.values()), bad
    for name, size in [*out["desktop"].items(), *out["phone"].items()]:  # 1280 and 390 px:
        # no page scrolls sideways
        assert size["scrollWidth"] <= size["innerWidth"], (name, size)
    assert out["dialogs"] == []  # no alert() from the hostile articles ran
    assert out["external"] == []  # nothing requested from anywhere else
    assert out["errors"] == []  # no script errors, no CSP violations
    for name in ("list", "story", "story-citation", "article", "phone-story"):
        assert (SCREENS / f"{name}.png").stat().st_size > 10_000
