-- Guessing limits (booking look-ups, health-card birthdays, staff sign-ins) are counted here, once for the whole
-- service: counted in each HTTP worker's memory, N workers let N times the limit through. One row per counted key
-- (rate-limiter-flexible's PostgreSQL store: points used, and when the window ends in epoch milliseconds).
-- Unlogged: after a crash the counters start again from zero, which only forgives a few guesses.
CREATE UNLOGGED TABLE rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
