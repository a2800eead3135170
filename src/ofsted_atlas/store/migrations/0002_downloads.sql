-- What `sync` fetched from the Ofsted website: one row per publication URL (the manifest), and
-- the publication type of every stored report (inspection, focused visit, monitoring visit).
CREATE TABLE downloads (
    url TEXT PRIMARY KEY,
    urn TEXT NOT NULL,
    authority TEXT,
    kind TEXT NOT NULL,
    label TEXT,
    published TEXT,
    path TEXT,
    status TEXT NOT NULL CHECK (status IN ('downloaded', 'not_found')),
    sha256 TEXT,
    size INTEGER,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL
);

ALTER TABLE reports ADD COLUMN publication_type TEXT NOT NULL DEFAULT 'inspection';
