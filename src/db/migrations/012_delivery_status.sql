-- Since when a message should have been out: its creation, or the end of the quiet hours it was held for.
-- Retries and a provider's circuit breaker leave it alone, so how late a channel runs can be told honestly
-- (services/status-service.ts): an SMS held overnight on purpose is not late.
ALTER TABLE outbox ADD COLUMN due_since timestamptz NOT NULL DEFAULT now();
UPDATE outbox SET due_since = greatest(created_at, next_attempt_at) WHERE status = 'queued' AND attempts = 0;
UPDATE outbox SET due_since = created_at WHERE status <> 'queued' OR attempts > 0;
