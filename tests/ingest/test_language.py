"""Language detection: English through its commonest words, anything else through the model."""

from __future__ import annotations

from newsprism.ingest.build import detect_language

ENGLISH = (
    "The regional council said on Tuesday that it would rebuild the old bridge over the river "
    "before winter, and that the work had been delayed by a dispute with the contractor who "
    "was hired for the job two years ago."
)
GERMAN = (
    "Der Regionalrat teilte am Dienstag mit, dass er die alte Brücke über den Fluss noch vor "
    "dem Winter neu bauen werde. Die Arbeiten hätten sich durch einen Streit mit der Baufirma "
    "verzögert, die vor zwei Jahren beauftragt worden sei."
)
SPANISH = (
    "El consejo regional dijo el martes que reconstruirá el viejo puente sobre el río antes del "
    "invierno, y que las obras se retrasaron por una disputa con la empresa contratada hace dos "
    "años para el trabajo en la zona."
)


def test_english_prose_is_english() -> None:
    assert detect_language(ENGLISH) == "en"


def test_other_languages_go_to_the_model() -> None:
    assert detect_language(GERMAN) == "de"
    assert detect_language(SPANISH) == "es"


def test_too_little_text_has_no_language() -> None:
    assert detect_language("Bridge rebuilt") is None
