-- Idempotency-Key for every other state-changing operation (staff and administration). Their effects run in
-- their services' own transactions, so the key is claimed before the operation runs and its answer stored after:
-- `running_until` is set while the first request runs, NULL once its answer is stored. A repeat replays the
-- answer, a concurrent repeat waits for it, and a claim whose process died may be taken over once it lapses.
-- The booking operations keep the stronger form of 002: the answer stored in the effect's own transaction.
ALTER TABLE idempotency_keys ADD COLUMN running_until timestamptz;
