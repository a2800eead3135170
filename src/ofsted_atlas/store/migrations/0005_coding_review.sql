-- Review mode (`serve --review`): users' corrections of the theme coding, one row per action, kept
-- apart from the model's codings (which a recoding replaces). A sentence is identified by its
-- report, paragraph and character span, and its text is kept so the correction can be located in
-- the original file again (`labels export`) even after the report is re-parsed or recoded.
CREATE TABLE coding_reviews (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    paragraph_id INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER,
    sentence TEXT NOT NULL,
    theme TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('confirm', 'wrong', 'polarity', 'add')),
    polarity TEXT CHECK (polarity IN ('strength', 'weakness', 'neutral')),
    model_codings TEXT NOT NULL DEFAULT '{}',  -- the model's theme -> polarity for the sentence then
    model_version TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
);
CREATE INDEX coding_reviews_report ON coding_reviews (report_id, paragraph_id, start);
