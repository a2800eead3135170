-- Theme coding: sentences (spans into their paragraph's text), codings with polarity and the cues
-- that fired, one coding run per report (model version, tone score), and per-area profiles.
ALTER TABLE sections ADD COLUMN area TEXT;

CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX sentences_report ON sentences (report_id);
CREATE INDEX sentences_paragraph ON sentences (paragraph_id);

CREATE TABLE codings (
    sentence_id INTEGER NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    polarity TEXT NOT NULL CHECK (polarity IN ('strength', 'weakness', 'neutral')),
    confidence REAL NOT NULL,
    cues TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (sentence_id, theme)
);
CREATE INDEX codings_report ON codings (report_id, theme, polarity);
CREATE INDEX codings_theme ON codings (theme, polarity);

CREATE TABLE coding_runs (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    model_version TEXT NOT NULL,
    sentences INTEGER NOT NULL,
    codings INTEGER NOT NULL,
    tone REAL,
    coded_at TEXT NOT NULL
);

-- Every coded sentence with its evidence and where it is: report, section, paragraph, page.
CREATE VIEW coded_sentences AS
SELECT c.report_id, c.theme, c.polarity, c.confidence, c.cues,
       substr(p.text, s.start + 1, s.end - s.start) AS sentence,
       p.page, p.number AS paragraph_number, p.id AS paragraph_id, s.id AS sentence_id,
       sec.heading AS section, sec.area AS area
FROM codings c
JOIN sentences s ON s.id = c.sentence_id
JOIN paragraphs p ON p.id = s.paragraph_id
LEFT JOIN sections sec ON sec.report_id = p.report_id AND sec.ordinal = p.section_ordinal;

-- Counts and shares of strengths and weaknesses per report and theme: for the whole report, and
-- per judgement area (sections whose heading names an area; other sections count as 'general').
CREATE VIEW theme_profiles AS
SELECT report_id, 'whole_report' AS area, theme,
       SUM(polarity = 'strength') AS strengths,
       SUM(polarity = 'weakness') AS weaknesses,
       SUM(polarity = 'neutral') AS neutral,
       COUNT(*) AS codings,
       ROUND(1.0 * SUM(polarity = 'strength') / COUNT(*), 3) AS strength_share,
       ROUND(1.0 * SUM(polarity = 'weakness') / COUNT(*), 3) AS weakness_share
FROM coded_sentences
GROUP BY report_id, theme
UNION ALL
SELECT report_id, COALESCE(area, 'general') AS area, theme,
       SUM(polarity = 'strength'), SUM(polarity = 'weakness'), SUM(polarity = 'neutral'),
       COUNT(*),
       ROUND(1.0 * SUM(polarity = 'strength') / COUNT(*), 3),
       ROUND(1.0 * SUM(polarity = 'weakness') / COUNT(*), 3)
FROM coded_sentences
GROUP BY report_id, COALESCE(area, 'general'), theme;
