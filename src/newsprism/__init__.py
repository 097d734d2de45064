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

from newsprism import ingest
from newsprism.clean import CleanedText, clean_text
from newsprism.errors import (
    DatasetError,
    EmptyInputError,
    EncodingError,
    ExtractionError,
    FetchError,
    InputError,
    NewsprismError,
    StoreError,
)
from newsprism.ingest import IngestReport, to_article
from newsprism.model import Article, RawArticle, RemovedLine
from newsprism.store import Store

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
