-- A session may serve only some roll-out cohorts (a hospital's staff session
-- in the morning, the public in the afternoon). NULL: only the clinic's rule applies.
ALTER TABLE sessions ADD COLUMN cohorts text[] CHECK (cohorts IS NULL OR cardinality(cohorts) > 0);
-- Restricted sessions are few: search and booking keep them in memory, read through this index.
CREATE INDEX sessions_restricted ON sessions (clinic_day_id) WHERE cohorts IS NOT NULL;
