"""newsprism: see how the news tells one story.

Python API (the CLI is a thin layer over it)::

    import newsprism
    report = newsprism.ingest(["articles/", "feed.xml"], "news.db")
    with newsprism.Store("news.db") as store:
        for article in store.articles(limit=10):
            print(article.outlet, article.title)
    cleaned = newsprism.clean_text(open("article.txt").read())
"""

__version__ = "0.1.0"

from newsprism import ingest  # noqa: E402  (callable package: newsprism.ingest(...))
from newsprism.clean import CleanedText, clean_text  # noqa: E402
from newsprism.errors import (  # noqa: E402
    DatasetError,
    EmptyInputError,
    EncodingError,
    ExtractionError,
    FetchError,
    InputError,
    NewsprismError,
    StoreError,
)
from newsprism.ingest import IngestReport, to_article  # noqa: E402
from newsprism.model import Article, RawArticle, RemovedLine  # noqa: E402
from newsprism.store import Store  # noqa: E402

__all__ = [
    "Article",
    "CleanedText",
    "DatasetError",
    "EmptyInputError",
    "EncodingError",
    "ExtractionError",
    "FetchError",
    "IngestReport",
    "InputError",
    "NewsprismError",
    "RawArticle",
    "RemovedLine",
    "Store",
    "StoreError",
    "__version__",
    "clean_text",
    "ingest",
    "to_article",
]
