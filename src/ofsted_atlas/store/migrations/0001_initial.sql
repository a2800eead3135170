-- Reports, their judgements, recommendations, structure and statistics; full-text search.
-- The FTS tables index paragraphs and recommendations as external content; the repository keeps
-- them in step inside each report's transaction (one statement a report: faster than triggers).
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    kind TEXT,
    status TEXT NOT NULL CHECK (status IN ('parsed', 'rejected')),
    rejection_code TEXT,
    rejection_reason TEXT,
    rejection_hint TEXT,
    framework TEXT,
    reinspection INTEGER,
    title TEXT,
    local_authority TEXT,
    la_name TEXT,
    urn TEXT,
    la_code TEXT,
    ons_code TEXT,
    region TEXT,
    la_type TEXT,
    inspection_start TEXT,
    inspection_end TEXT,
    published TEXT,
    lead_inspector TEXT,
    page_count INTEGER,
    parser_version INTEGER NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL
);
CREATE INDEX reports_sha256 ON reports (sha256);
CREATE INDEX reports_la ON reports (la_code, inspection_end);

CREATE TABLE judgements (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    grade TEXT NOT NULL,
    label TEXT,
    page INTEGER,
    PRIMARY KEY (report_id, key)
);
CREATE INDEX judgements_key_grade ON judgements (key, grade);

CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    number INTEGER,
    text TEXT NOT NULL,
    timescale TEXT,
    scope TEXT NOT NULL,
    page INTEGER
);
CREATE INDEX recommendations_report ON recommendations (report_id);

CREATE TABLE sections (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    heading TEXT NOT NULL,
    page INTEGER,
    PRIMARY KEY (report_id, ordinal)
);

CREATE TABLE paragraphs (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    section_ordinal INTEGER NOT NULL,
    number INTEGER,
    page INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX paragraphs_report ON paragraphs (report_id);

CREATE TABLE statistics (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value REAL NOT NULL,
    rate_per_10k REAL,
    as_of TEXT,
    page INTEGER,
    PRIMARY KEY (report_id, key)
);

CREATE VIRTUAL TABLE paragraphs_fts USING fts5 (
    text, content = 'paragraphs', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE recommendations_fts USING fts5 (
    text, content = 'recommendations', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
