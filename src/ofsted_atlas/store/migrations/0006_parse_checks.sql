-- Self-checks a parsed report failed (parse/checks.py): a code, a message in words and the page.
-- A report with none is clean; re-parsing a report replaces its checks with the report.
CREATE TABLE parse_checks (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    page INTEGER,
    PRIMARY KEY (report_id, ordinal)
);
CREATE INDEX parse_checks_code ON parse_checks (code);

-- The National Framework tag a 2025+ recommendation ends with, as JSON {"kind", "number"}.
ALTER TABLE recommendations ADD COLUMN national_framework TEXT;
