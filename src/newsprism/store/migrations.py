"""Schema migrations, applied in order; each runs once and is recorded in schema_migrations.

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "articles and their removed lines",
        """
        CREATE TABLE articles (
            pk            INTEGER PRIMARY KEY,
            id            TEXT NOT NULL UNIQUE,
            identity      TEXT NOT NULL,
            version       INTEGER NOT NULL DEFAULT 1,
            is_latest     INTEGER NOT NULL DEFAULT 1,
            url           TEXT,
            outlet        TEXT,
            published     TEXT,
            title         TEXT NOT NULL,
            text          TEXT NOT NULL,
            author        TEXT,
            lang          TEXT,
            credit        TEXT,
            kind          TEXT NOT NULL,
            source        TEXT NOT NULL,
            content_hash  TEXT NOT NULL,
            ingested_at   TEXT NOT NULL
        );
        CREATE INDEX articles_identity ON articles(identity, version);
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE TABLE removed_lines (
            article_pk  INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
            seq         INTEGER NOT NULL,
            line        INTEGER,
            text        TEXT NOT NULL,
            reason      TEXT NOT NULL,
            PRIMARY KEY (article_pk, seq)
        );
        """,
    ),
    (
        2,
        "annotations: sentences, entities, quotes, numbers, dates per article",
        """
        CREATE TABLE annotations (
            article_pk  INTEGER PRIMARY KEY REFERENCES articles(pk) ON DELETE CASCADE,
            annotator   TEXT NOT NULL,
            data        TEXT NOT NULL,
            created_at  TEXT NOT NULL
        );
        """,
    ),
    (
        3,
        "stories: each article's story, story summaries, and the online clusterer's state",
        """
        CREATE TABLE story_assignments (
            article_id  TEXT PRIMARY KEY,
            story_id    TEXT NOT NULL,
            assigned_at TEXT NOT NULL
        );
        CREATE INDEX story_assignments_story ON story_assignments(story_id);
        CREATE TABLE stories (
            id          TEXT PRIMARY KEY,
            title       TEXT,
            start       TEXT,
            "end"       TEXT,
            n_articles  INTEGER NOT NULL,
            n_outlets   INTEGER NOT NULL,
            data        TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE clusterer_state (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            data        TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        """,
    ),
    (
        4,
        "story queue: articles stored but not yet in a story (stored with them, in one write)",
        """
        CREATE TABLE story_queue (
            article_id  TEXT PRIMARY KEY,
            queued_at   TEXT NOT NULL
        );
        INSERT INTO story_queue (article_id, queued_at)
            SELECT id, ingested_at FROM articles
            WHERE is_latest = 1 AND id NOT IN (SELECT article_id FROM story_assignments)
        """,
    ),
    (
        5,
        "watching: watch list, per-URL fetch state, story events and their deliveries",
        """
        CREATE TABLE watches (
            source      TEXT PRIMARY KEY,
            every_s     INTEGER,
            options     TEXT NOT NULL,
            added_at    TEXT NOT NULL
        );
        CREATE TABLE fetch_state (
            url         TEXT PRIMARY KEY,
            data        TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE story_events (
            pk          INTEGER PRIMARY KEY,
            story_id    TEXT NOT NULL,
            kind        TEXT NOT NULL,
            article_id  TEXT,
            at          TEXT NOT NULL,
            data        TEXT NOT NULL
        );
        CREATE INDEX story_events_story ON story_events(story_id, pk);
        CREATE TABLE event_state (
            story_id    TEXT PRIMARY KEY,
            data        TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE event_deliveries (
            event_pk    INTEGER NOT NULL,
            target      TEXT NOT NULL,
            status      TEXT NOT NULL,
            attempts    INTEGER NOT NULL,
            last_error  TEXT,
            updated_at  TEXT NOT NULL,
            PRIMARY KEY (event_pk, target)
        )
        """,
    ),
    (
        6,
        "event queue: articles a watch stored whose story events are not recorded yet",
        """
        CREATE TABLE event_queue (
            article_id  TEXT PRIMARY KEY,
            status      TEXT NOT NULL,
            queued_at   TEXT NOT NULL
        )
        """,
    ),
]
