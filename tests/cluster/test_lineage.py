"""Wire lineage on hand-written copies: reprint, light edit, synonym spin, re-order; and the seeds."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsprism.cluster import wire_lineage
from newsprism.cluster.lineage import _align, _narration, copy_groups
from newsprism.model import Article

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

WIRE = (
    "Flood waters swept through the river town of Ledbury on Tuesday, forcing hundreds of "
    "families from their homes and cutting power to the hospital.\n"
    "The county council opened three emergency shelters in school halls and asked residents "
    "on the low-lying east bank to leave before the river peaks overnight.\n"
    "Forecasters expect another forty millimetres of rain across the hills by Wednesday "
    "morning, which could push the river above its record level set in 2007.\n"
    "Engineers worked through the night to shore up the old stone bridge, which carries the "
    "only road linking the two halves of the town.\n"
    '"We have never seen the water rise this fast," said the mayor, Helen Marsh.'
)
REPRINT = "By Reuters staff\n" + WIRE
EDITED = (
    "Flood waters swept through the river town of Ledbury on Tuesday, forcing hundreds of "
    "families out of their homes and cutting power to the local hospital.\n"
    "The county council has opened three emergency shelters in school halls and asked "
    "residents on the low-lying east bank to leave before the river peaks.\n"
    "Engineers worked through the night to shore up the old stone bridge, which carries the "
    "only road linking both halves of the town.\n"
    "Our reporter adds that shops on the high street had closed by noon."
)
SPUN = (
    "Flood water surged through the river town of Ledbury on Tuesday, driving hundreds of "
    "households from their homes and cutting electricity to the hospital.\n"
    "The county council opened three emergency refuges in school halls and urged residents "
    "on the low-lying east bank to leave before the river crests overnight.\n"
    "Forecasters expect a further forty millimetres of rain across the hills by Wednesday "
    "morning, which might push the river over its record level set in 2007.\n"
    "Engineers laboured through the night to strengthen the old stone bridge, which carries "
    "the only road joining the two halves of the town."
)
REORDERED = (
    "Engineers worked through the night to shore up the old stone bridge, which carries the "
    "only road linking the two halves of the town.\n"
    "Forecasters expect another forty millimetres of rain across the hills by Wednesday "
    "morning, which could push the river above its record level set in 2007.\n"
    "Flood waters swept through the river town of Ledbury on Tuesday, forcing hundreds of "
    "families from their homes and cutting power to the hospital."
)
INDEPENDENT = (
    "Standing on the east bank at dawn, our correspondent watched a tractor tow a stranded "
    "delivery van out of brown water that had reached the windows of the corner pub.\n"
    "Local volunteers handed out sandbags from the rugby club car park, where a queue of cars "
    "stretched back to the supermarket roundabout.\n"
    '"We have never seen the water rise this fast," said the mayor, Helen Marsh.\n'
    "Residents said the town's flood defences, promised after the 2007 floods, were never built."
)


def art(aid: str, text: str, hours: float, credit: str | None = None) -> Article:
    return Article(
        id=aid,
        title="Floods hit Ledbury",
        text=text,
        source=aid,
        kind="text",
        date=T0 + timedelta(hours=hours),
        credit=credit,
    )


def test_copies_group_and_independent_report_stays_out() -> None:
    articles = [
        art("edited", EDITED, 3),
        art("reprint", REPRINT, 1),
        art("spun", SPUN, 5),
        art("reordered", REORDERED, 4),
        art("own", INDEPENDENT, 2),
    ]
    result = wire_lineage(articles)
    assert len(result.groups) == 1
    group = result.groups[0]
    assert group.articles == ["edited", "reordered", "reprint", "spun"]
    assert result.singletons == ["own"]
    assert result.independent_sources == 2
    # The explicit agency credit wins over the earliest date.
    assert group.origin == "reprint"
    assert group.origin_reason == "credits Reuters"
    # Evidence points at real text.
    for passage in group.passages:
        text = {a.id: a.text for a in articles}[passage.article]
        assert text[passage.start : passage.end].strip()


def test_origin_falls_back_to_the_earliest_article() -> None:
    result = wire_lineage([art("late", WIRE, 9), art("early", EDITED, 1)])
    assert result.groups[0].origin == "early"
    assert result.groups[0].origin_reason == "earliest"


def test_shared_quotation_alone_is_not_a_copy() -> None:
    result = wire_lineage([art("wire", WIRE, 1), art("own", INDEPENDENT, 2)])
    assert result.groups == []
    assert result.independent_sources == 2


def test_seed_pair_is_not_one_wire_copy(seeds_dir: Path) -> None:
    # 000 reuses Reuters copy and 002 reuses AP copy: one story, two independent sources.
    files = sorted(seeds_dir.glob("*.txt"))
    articles = [
        Article(id=f.stem, title="", text=f.read_text(encoding="utf-8"), source=str(f), kind="text")
        for f in files
    ]
    result = wire_lineage(articles)
    assert result.groups == []
    assert result.independent_sources == 2


# -- bounded work on long, repetitive articles (issue 16) -----------------------------------


def _all_pairs(a: list[Any], b: list[Any]) -> list[tuple[int, int, float]]:
    """The alignment as lineage made it before issue 16: every matching pair, then greedy."""
    scored = []
    for i, sa in enumerate(a):
        for j, sb in enumerate(b):
            dice = 2 * len(sa.terms & sb.terms) / (len(sa.terms) + len(sb.terms))
            if dice >= 0.5:
                scored.append((dice, i, j))
    pairs, used_a, used_b = [], set(), set()
    for dice, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, dice))
    return pairs


def _tied_text(rng: random.Random, vocab: list[str], pool: list[str]) -> str:
    return ".\n".join(
        rng.choice(pool) if rng.random() < 0.5 else " ".join(rng.choices(vocab, k=9))
        for _ in range(rng.randint(0, 30))
    )


def test_alignment_equals_the_all_pairs_greedy_on_short_articles() -> None:
    # Small vocabularies make many ties and repeated sentences: the hardest case for the
    # grouped matching to keep the all-pairs order.
    rng = random.Random(16)
    for _ in range(300):
        vocab = [f"w{k}q" for k in range(rng.choice([6, 10, 30, 300]))]
        pool = [" ".join(rng.choices(vocab, k=rng.randint(4, 14))) for _ in range(6)]
        a, b = _narration(_tied_text(rng, vocab, pool)), _narration(_tied_text(rng, vocab, pool))
        _, passages = _align("a", a, "b", b)
        expected = sorted(_all_pairs(a, b), key=lambda p: a[p[0]].start)
        assert [(p.start, p.other_start, p.overlap) for p in passages] == [
            (a[i].start, b[j].start, dice) for i, j, dice in expected
        ]


_LONG_PAIR = r"""
import json, random, resource, sys, time
from newsprism.cluster import wire_lineage
from newsprism.model import Article
rng = random.Random(1)
vocab = [f"w{k}q" for k in range(int(sys.argv[1]))]
paragraph = [" ".join(rng.choices(vocab, k=rng.randint(8, 20))) + "." for _ in range(6)]
lines, size = [], 0
while size < 1_000_000:
    line = paragraph[len(lines) % 6] if sys.argv[2] == "repeated" else (
        " ".join(rng.choices(vocab, k=rng.randint(8, 20))) + ".")
    lines.append(line)
    size += len(line) + 1
edited = [" ".join(w if rng.random() > 0.1 else rng.choice(vocab) for w in line.split())
          for k, line in enumerate(lines) if k % 10 != 3]
pair = [Article(id=n, title="", text="\n".join(t), source=n, kind="text")
        for n, t in (("wire", lines), ("copy", edited))]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = time.process_time()
result = wire_lineage(pair)
print(json.dumps({"mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
                  "cpu": time.process_time() - cpu, "groups": len(result.groups)}))
"""


@pytest.mark.parametrize(("vocabulary", "shape"), [(60, "repeated"), (40, "random")])
def test_a_1mb_pair_of_similar_articles_stays_bounded(vocabulary: int, shape: str) -> None:
    # Before issue 16 every matching sentence pair was kept: > 8 GB for such a pair.
    done = subprocess.run(
        [sys.executable, "-c", _LONG_PAIR, str(vocabulary), shape],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["mb"] < 300, figures
    assert figures["cpu"] < 10, figures  # CPU time: a busy machine stretches only wall time
    assert figures["groups"] == 1, figures  # still found to be one wire copy


# -- copying told from quoting; the origin is the agency credited, not one mentioned (issue 17) --

STATEMENT = (
    '"The ministry will not accept any interference in the internal affairs of the republic, '
    "and every measure necessary to protect our sovereignty and the safety of our citizens "
    "along the northern border will be taken without delay, whatever the cost to the "
    'economy of the region in the months ahead," the foreign ministry said in a statement.'
)
AGENCY_ONE = (
    "NORTHPORT (Reuters) - The government of Valdoria on Monday rejected criticism of its "
    "troop build-up near the northern border, days after neighbouring states called for talks.\n"
    + STATEMENT
    + "\nDiplomats in the capital said the tone of the statement was the sharpest in a decade.\n"
    "The defence ministry has moved two armoured brigades north since early March, according "
    "to satellite images reviewed by independent analysts.\n"
    "(Reporting by Ana Lind; Editing by Tom Reed)"
)
AGENCY_TWO = (
    "NORTHPORT (AP) — Valdoria dug in on Monday over its border deployment, as state television "
    "showed columns of tanks rolling through snow-covered villages.\n"
    + STATEMENT
    + "\nXinhua quoted the foreign minister as saying that talks could only begin once sanctions "
    "were lifted.\n"
    "Satellite images show the defence ministry has moved two armoured brigades north since "
    "early March, independent analysts said.\n"
    "Opposition leaders accused the cabinet of stoking a crisis to distract from rising prices "
    "and a stalled pension reform."
)
REPRINT_NEW_HEADLINE = (
    "Border tension: Valdoria hits back at critics\n" + AGENCY_ONE.split("\n", 1)[1]
)


def test_independent_reports_quoting_one_long_statement_are_not_copies() -> None:
    # They share the statement and tell one fact in similar words: no copied narration.
    result = wire_lineage([art("reuters", AGENCY_ONE, 1), art("ap", AGENCY_TWO, 2)])
    assert result.groups == []
    assert result.independent_sources == 2
    # The same with a tokenizer's quotation marks (as ECB+ prints them).
    tokenized = [
        t.replace('"The', "`` The").replace('," the', " , '' the") for t in (AGENCY_ONE, AGENCY_TWO)
    ]
    assert "``" in tokenized[0]
    result = wire_lineage([art("reuters", tokenized[0], 1), art("ap", tokenized[1], 2)])
    assert result.groups == []


def test_reprint_with_a_new_headline_is_a_copy() -> None:
    result = wire_lineage(
        [
            art("reuters", AGENCY_ONE, 1),
            art("ap", AGENCY_TWO, 2),
            art("site", REPRINT_NEW_HEADLINE, 3),
        ]
    )
    assert [g.articles for g in result.groups] == [["reuters", "site"]]
    assert result.independent_sources == 2


def test_origin_is_the_dateline_agency_not_an_agency_mentioned() -> None:
    # The reprint comes first and mentions no agency; the AP copy mentions Xinhua but is AP's.
    ap_reprint = "Valdoria digs in\n" + AGENCY_TWO.split("\n", 1)[1]
    result = wire_lineage([art("reprint", ap_reprint, 1), art("ap", AGENCY_TWO, 2)])
    assert result.groups[0].origin == "ap"
    assert result.groups[0].origin_reason == "credits AP"
    alone = wire_lineage([art("reprint", ap_reprint, 1), art("again", ap_reprint, 2)])
    assert alone.groups[0].origin == "reprint"  # Xinhua is only quoted: no credit, earliest
    assert alone.groups[0].origin_reason == "earliest"


def test_a_sign_off_credits_reuters() -> None:
    result = wire_lineage(
        [art("site", REPRINT_NEW_HEADLINE, 1), art("copy", REPRINT_NEW_HEADLINE, 2)]
    )
    assert result.groups[0].origin_reason == "credits Reuters"


def test_the_agency_site_in_the_url_credits_it() -> None:
    body = AGENCY_TWO.split("\n", 1)[1]  # no dateline: no credit in the text
    copy, own = art("copy", "Valdoria digs in\n" + body, 1), art("own", body, 2)
    own.url = "https://apnews.com/article/valdoria-border-2024"
    result = wire_lineage([copy, own])
    assert (result.groups[0].origin, result.groups[0].origin_reason) == ("own", "credits AP")


def test_an_article_mixing_two_wire_stories_does_not_merge_them() -> None:
    # Groups {0, 1} and {2, 3}; article 1 also copies a little of 2 (a mashup): one link only.
    links = [(0, 1), (2, 3), (1, 2)]
    assert copy_groups(list("abcd"), links, bridges=2) == [["a", "b"], ["c", "d"]]
    assert copy_groups(list("abcd"), links) == [["a", "b", "c", "d"]]  # connected components
    # Two links between the groups join them.
    assert copy_groups(list("abcd"), [*links, (0, 3)], bridges=2) == [["a", "b", "c", "d"]]


def test_first_hand_reporting_shared_by_the_copies_names_the_agency() -> None:
    # No dateline or byline credit: "told Reuters" in the copied text makes it Reuters' copy.
    told = WIRE + '\n"The river has never risen this fast," one shopkeeper told Reuters.'
    copy = EDITED + '\n"The river has never risen this fast," one shopkeeper told Reuters.'
    result = wire_lineage([art("late", told, 9), art("early", copy, 1)])
    group = result.groups[0]
    assert group.origin == "early"
    assert group.origin_reason.startswith("reported for Reuters")
    # One member alone saying so is one outlet quoting an agency's interview: no agency.
    alone = wire_lineage([art("late", told, 9), art("early", EDITED, 1)])
    assert alone.groups[0].origin_reason == "earliest"
    # Statements made to several agencies in the copied text (a round-up): no agency either.
    roundup = told + " A farmer told AFP the fields were lost."
    both = copy + " A farmer told AFP the fields were lost."
    mixed = wire_lineage([art("late", roundup, 9), art("early", both, 1)])
    assert mixed.groups[0].origin_reason == "earliest"
