-- A council's own documents (self-evaluation, improvement plan), kept only when
-- `ofsted-atlas readiness --keep` asks: their sentences with page, themes and polarity.
CREATE TABLE council_documents (
    id INTEGER PRIMARY KEY,
    la_code TEXT,
    authority TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (la_code, sha256)
);

CREATE TABLE council_passages (
    document_id INTEGER NOT NULL REFERENCES council_documents (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    page INTEGER,
    text TEXT NOT NULL,
    themes TEXT NOT NULL DEFAULT '[]',
    polarity TEXT NOT NULL,
    PRIMARY KEY (document_id, ordinal)
);
