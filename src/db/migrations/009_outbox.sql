-- The transactional outbox: every message a change owes someone is written by
-- the database in the transaction of that change — whichever channel made it
-- (portal, call centre, clinic, a cancelled clinic-day) — so no change is
-- committed without its message, and no message exists for a change rolled
-- back. A worker delivers them later; a slow or broken provider never holds a
-- booking up.

CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('booking_confirmation', 'cancellation', 'reschedule', 'clinic_day_cancelled')),
  -- One message per booking and change: a provider is given this key so a retry is never a second message.
  dedupe_key text NOT NULL UNIQUE,
  booking_id bigint NOT NULL REFERENCES bookings,
  person_id bigint NOT NULL REFERENCES persons,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('queued', 'failed');
CREATE INDEX outbox_booking ON outbox (booking_id);

-- A new booking: its confirmation, to the person who booked (their dependents' appointments are in it).
CREATE FUNCTION vaxbook_outbox_booking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox (kind, dedupe_key, booking_id, person_id, payload)
  VALUES ('booking_confirmation', 'booking_confirmation:' || NEW.id, NEW.id, NEW.person_id, jsonb_build_object('channel', NEW.channel));
  RETURN NULL;
END $$;
CREATE TRIGGER bookings_outbox AFTER INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION vaxbook_outbox_booking();

-- An appointment ended by a change: why is said by the transaction (vaxbook.change: reschedule,
-- clinic_day_cancelled; otherwise a cancellation), one message per booking and transaction,
-- listing every appointment it touched.
CREATE FUNCTION vaxbook_outbox_appointment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_kind text := coalesce(nullif(current_setting('vaxbook.change', true), ''), 'cancellation');
BEGIN
  INSERT INTO outbox (kind, dedupe_key, booking_id, person_id, payload)
  SELECT v_kind, v_kind || ':' || NEW.booking_id || ':' || txid_current(), NEW.booking_id, b.person_id,
         jsonb_build_object('appointments', jsonb_build_array(NEW.id))
           || CASE WHEN nullif(current_setting('vaxbook.reason', true), '') IS NULL THEN '{}'::jsonb
                   ELSE jsonb_build_object('reason', current_setting('vaxbook.reason', true)) END
  FROM bookings b WHERE b.id = NEW.booking_id
  ON CONFLICT (dedupe_key) DO UPDATE SET payload = jsonb_set(outbox.payload, '{appointments}', (outbox.payload->'appointments') || to_jsonb(NEW.id));
  RETURN NULL;
END $$;
CREATE TRIGGER appointments_outbox AFTER UPDATE OF status ON appointments
  FOR EACH ROW WHEN (OLD.status IN ('booked', 'checked_in') AND NEW.status = 'cancelled')
  EXECUTE FUNCTION vaxbook_outbox_appointment();

-- A move is announced as a move, not as a cancellation.
ALTER FUNCTION vaxbook_reschedule(bigint, smallint, bigint) SET vaxbook.change = 'reschedule';
