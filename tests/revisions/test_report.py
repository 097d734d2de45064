"""`newsprism compare --story` over a store with a revised article: the report says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from newsprism.compare import validate_report
from newsprism.render.html import render_html
from newsprism.store import Store
from tests.conftest import ROOT
from tests.revisions.stores import store_with_versions


def test_compared_story_notes_the_revision_in_json_markdown_and_html(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    ids = store_with_versions(db, count=2)
    with Store(db) as store:
        every = [*ids, "herald-dam"]
        story = {"id": "story-dam", "title": "Dam talks", "articles": every}
        store.save_stories(dict.fromkeys(every, "story-dam"), [story])

    def compare(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "newsprism", "compare", "--story", "story-dam", "--db",
             str(db), *args],
            capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), timeout=300,
        )  # fmt: skip

    result = compare("--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    validate_report(report)  # the schema knows the revisions entry
    by_id = {a["id"]: a for a in report["articles"]}
    assert set(by_id) == {"gazette-dam~2", "herald-dam"}  # the latest version, not both
    revisions = by_id["gazette-dam~2"]["revisions"]
    assert "revisions" not in by_id["herald-dam"]
    assert revisions["compared_version"] == 2 and revisions["after_publication"] is True
    assert [v["id"] for v in revisions["versions"]] == ids
    assert revisions["summary"] == "title changed; 2 passages reworded"
    text = by_id["gazette-dam~2"]["text"]
    assert [text[c["start"] : c["end"]] for c in revisions["changes"]] == ["five", "June"]

    html_file = tmp_path / "report.html"
    markdown = compare("--format", "md", "--html", str(html_file))
    assert markdown.returncode == 0, markdown.stderr
    [line] = [x for x in markdown.stdout.splitlines() if "revised" in x]
    assert line.startswith("- Gazette (gazette-dam~2) revised after publication (2 versions: v1 ")
    assert line.endswith("v2 compared): title changed; 2 passages reworded; "
                         "the first title was “Dam talks end without deal”")  # fmt: skip
    html = html_file.read_text(encoding="utf-8")
    assert '<p class="meta revised">Revised after publication (2 versions: v1 stored ' in html
    assert "the first title was “Dam talks end without deal”</p>" in html


def test_html_line_is_escaped() -> None:
    entry = {
        "versions": [{"id": "a", "version": 1, "stored": None, "published": None},
                     {"id": "a~2", "version": 2, "stored": None, "published": None}],
        "compared_version": 2, "after_publication": None, "summary": "1 word added",
        "title": {"old": "<script>window.__xss=1</script>", "new": "t"}, "changes": [],
    }  # fmt: skip
    article: dict[str, Any] = {"id": "a~2", "outlet": "O", "url": None, "date": None, "title": "t", "text": "x",
               "removed": [], "compared": False, "revisions": entry}  # fmt: skip
    html = render_html({"schema_version": "1.0", "story": {"title": "t"}, "articles": [article]})
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "<script>window.__xss" not in html
    assert "Revised (2 versions: v1 stored at an unknown time" in html
