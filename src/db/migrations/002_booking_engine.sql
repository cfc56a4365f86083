-- Holds, idempotency and the booking transaction. Each operation is one
-- function call, so a booking costs one round trip and its row locks are held
-- for one statement, never across application round trips. Slot rows are
-- always locked in ascending id order, so two bookings cannot deadlock.

CREATE TABLE holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_id integer NOT NULL REFERENCES regions,
  seats smallint NOT NULL DEFAULT 1 CHECK (seats BETWEEN 1 AND 10),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'expired', 'consumed')),
  ended_at timestamptz,
  CHECK ((status = 'active') = (ended_at IS NULL))
);
CREATE INDEX holds_expiry ON holds (expires_at) WHERE status = 'active';

CREATE TABLE hold_items (
  hold_id uuid NOT NULL REFERENCES holds ON DELETE CASCADE,
  dose_number smallint NOT NULL CHECK (dose_number BETWEEN 1 AND 10),
  slot_id bigint NOT NULL REFERENCES slots,
  PRIMARY KEY (hold_id, dose_number)
);
CREATE INDEX hold_items_slot ON hold_items (slot_id);

-- Stripe-style idempotency: one row per (operation, key), written in the same
-- transaction as the effect, so a repeated request replays the first result.
CREATE TABLE idempotency_keys (
  operation text NOT NULL,
  key text NOT NULL CHECK (length(key) BETWEEN 8 AND 255),
  request_hash text NOT NULL,
  status_code smallint NOT NULL,
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operation, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

-- Releases one active hold (status: released or expired): capacity is free at once.
CREATE FUNCTION vaxbook_end_hold(p_hold uuid, p_status text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_seats smallint;
  v_slot bigint;
BEGIN
  UPDATE holds SET status = p_status, ended_at = now()
   WHERE id = p_hold AND status = 'active'
  RETURNING seats INTO v_seats;
  IF NOT FOUND THEN RETURN false; END IF;
  FOR v_slot IN SELECT slot_id FROM hold_items WHERE hold_id = p_hold ORDER BY slot_id LOOP
    UPDATE slots SET held = held - v_seats WHERE id = v_slot;
  END LOOP;
  RETURN true;
END $$;

-- Takes `p_seats` of capacity in each slot (as held or booked), in ascending id
-- order. Only slots of a published, not cancelled clinic-day that have not
-- started can be taken. Raises VB404 (not bookable) or VB409 (full), naming the slot.
CREATE FUNCTION vaxbook_take(p_slots bigint[], p_seats integer, p_as text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_slot bigint;
  v_attempt integer;
BEGIN
  FOR v_slot IN SELECT DISTINCT unnest(p_slots) ORDER BY 1 LOOP
    FOR v_attempt IN 1..2 LOOP
      UPDATE slots s
         SET held = s.held + CASE WHEN p_as = 'held' THEN p_seats ELSE 0 END,
             booked = s.booked + CASE WHEN p_as = 'held' THEN 0 ELSE p_seats END
       WHERE s.id = v_slot AND s.booked + s.held + p_seats <= s.capacity AND s.starts_at > now()
         AND EXISTS (SELECT 1 FROM clinic_days cd WHERE cd.id = s.clinic_day_id
                     AND cd.published_at IS NOT NULL AND cd.cancelled_at IS NULL);
      EXIT WHEN FOUND;
      IF NOT EXISTS (SELECT 1 FROM slots s JOIN clinic_days cd ON cd.id = s.clinic_day_id
                      WHERE s.id = v_slot AND s.starts_at > now()
                        AND cd.published_at IS NOT NULL AND cd.cancelled_at IS NULL) THEN
        RAISE EXCEPTION 'slot % cannot be booked', v_slot USING ERRCODE = 'VB404', DETAIL = v_slot::text;
      END IF;
      -- Full, or full only because of holds nobody will use: reclaim those and try once more.
      IF v_attempt = 2 OR vaxbook_expire_holds(1000, v_slot) = 0 THEN
        RAISE EXCEPTION 'slot % is full', v_slot USING ERRCODE = 'VB409', DETAIL = v_slot::text;
      END IF;
    END LOOP;
  END LOOP;
END $$;

-- Turns a hold's held capacity into booked capacity (the hold must be active and unexpired).
CREATE FUNCTION vaxbook_consume_hold(p_hold uuid, p_seats integer) RETURNS TABLE (dose_number smallint, slot_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_seats smallint;
  v_slot bigint;
BEGIN
  UPDATE holds h SET status = 'consumed', ended_at = now()
   WHERE h.id = p_hold AND h.status = 'active' AND h.expires_at > now()
  RETURNING h.seats INTO v_seats;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'hold % is expired or unknown', p_hold USING ERRCODE = 'VB410';
  END IF;
  IF v_seats <> p_seats THEN
    RAISE EXCEPTION 'hold % is for % people, the booking for %', p_hold, v_seats, p_seats USING ERRCODE = 'VB422';
  END IF;
  -- A day unpublished or cancelled while the person typed: the held place can no longer be booked.
  SELECT i.slot_id INTO v_slot FROM hold_items i JOIN slots s ON s.id = i.slot_id JOIN clinic_days cd ON cd.id = s.clinic_day_id
   WHERE i.hold_id = p_hold AND (cd.published_at IS NULL OR cd.cancelled_at IS NOT NULL OR s.starts_at <= now())
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'slot % cannot be booked', v_slot USING ERRCODE = 'VB404', DETAIL = v_slot::text;
  END IF;
  FOR v_slot IN SELECT i.slot_id FROM hold_items i WHERE i.hold_id = p_hold ORDER BY i.slot_id LOOP
    UPDATE slots SET held = held - v_seats, booked = booked + v_seats WHERE id = v_slot;
  END LOOP;
  RETURN QUERY SELECT i.dose_number, i.slot_id FROM hold_items i WHERE i.hold_id = p_hold ORDER BY i.dose_number;
END $$;

-- The series booking, in one call: takes capacity (from a hold, or directly from
-- the slots), creates the booking and one appointment per person and dose.
-- p_slots[i] is the slot of dose p_doses[i] (ignored when booking from a hold).
-- Raises VB409 (slot full), VB410 (hold expired), or a constraint violation
-- (23505 same dose booked twice, 23P01 overlapping appointments).
CREATE FUNCTION vaxbook_book(p_persons bigint[], p_hold uuid, p_slots bigint[], p_doses smallint[], p_channel text, p_code text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_booking bigint;
  v_slots bigint[] := p_slots;
  v_doses smallint[] := p_doses;
BEGIN
  IF p_hold IS NOT NULL THEN
    SELECT array_agg(c.slot_id ORDER BY c.dose_number), array_agg(c.dose_number ORDER BY c.dose_number)
      INTO v_slots, v_doses
      FROM vaxbook_consume_hold(p_hold, cardinality(p_persons)) c;
  ELSE
    IF cardinality(p_slots) IS NULL OR cardinality(p_slots) <> cardinality(p_doses) THEN
      RAISE EXCEPTION 'one slot per dose is needed' USING ERRCODE = 'VB422';
    END IF;
    PERFORM vaxbook_take(p_slots, cardinality(p_persons), 'booked');
  END IF;
  INSERT INTO bookings (region_id, confirmation_code, person_id, channel)
  SELECT s.region_id, p_code, p_persons[1], p_channel FROM slots s WHERE s.id = v_slots[1]
  RETURNING id INTO v_booking;
  INSERT INTO appointments (region_id, booking_id, person_id, slot_id, clinic_id, product_id, dose_number, starts_at, ends_at)
  SELECT s.region_id, v_booking, person, s.id, s.clinic_id, s.product_id, p.dose_number, s.starts_at, s.ends_at
    FROM unnest(v_doses, v_slots) AS p(dose_number, slot_id)
    JOIN slots s ON s.id = p.slot_id
    CROSS JOIN unnest(p_persons) AS person;
  RETURN v_booking;
END $$;

-- Creates a hold on one slot per dose for `p_seats` people, or raises like vaxbook_take.
CREATE FUNCTION vaxbook_hold(p_slots bigint[], p_doses smallint[], p_seats integer, p_minutes integer)
RETURNS TABLE (hold_id uuid, expires_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_hold uuid;
  v_expires timestamptz;
BEGIN
  IF cardinality(p_slots) IS NULL OR cardinality(p_slots) <> cardinality(p_doses) THEN
    RAISE EXCEPTION 'one slot per dose is needed' USING ERRCODE = 'VB422';
  END IF;
  PERFORM vaxbook_take(p_slots, p_seats, 'held');
  INSERT INTO holds (region_id, seats, expires_at)
  SELECT s.region_id, p_seats, now() + make_interval(mins => p_minutes) FROM slots s WHERE s.id = p_slots[1]
  RETURNING holds.id, holds.expires_at INTO v_hold, v_expires;
  INSERT INTO hold_items (hold_id, dose_number, slot_id) SELECT v_hold, d, s FROM unnest(p_doses, p_slots) AS x(d, s);
  RETURN QUERY SELECT v_hold, v_expires;
END $$;

-- Cancels the given doses of a booking (all when p_doses is NULL); capacity is free at once.
CREATE FUNCTION vaxbook_cancel(p_booking bigint, p_doses smallint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_slots bigint[];
  v_counts integer[];
BEGIN
  WITH gone AS (
    UPDATE appointments SET status = 'cancelled', cancelled_at = now()
     WHERE booking_id = p_booking AND status = 'booked' AND (p_doses IS NULL OR dose_number = ANY (p_doses))
    RETURNING slot_id)
  SELECT array_agg(slot_id ORDER BY slot_id), array_agg(n ORDER BY slot_id) INTO v_slots, v_counts
    FROM (SELECT slot_id, count(*)::integer AS n FROM gone GROUP BY slot_id) per_slot;
  FOR i IN 1..coalesce(cardinality(v_slots), 0) LOOP
    UPDATE slots SET booked = booked - v_counts[i] WHERE id = v_slots[i];
  END LOOP;
  RETURN coalesce((SELECT sum(x) FROM unnest(v_counts) x), 0);
END $$;

-- Ends holds that expired (all of them, or only those on p_slot): run by the sweeper,
-- and by a taker that finds a slot full. Returns how many it ended.
CREATE FUNCTION vaxbook_expire_holds(p_limit integer, p_slot bigint DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_hold uuid;
  n integer := 0;
BEGIN
  FOR v_hold IN SELECT h.id FROM holds h
                 WHERE h.status = 'active' AND h.expires_at <= now()
                   AND (p_slot IS NULL OR EXISTS (SELECT 1 FROM hold_items i WHERE i.hold_id = h.id AND i.slot_id = p_slot))
                 ORDER BY h.expires_at LIMIT p_limit FOR UPDATE SKIP LOCKED LOOP
    IF vaxbook_end_hold(v_hold, 'expired') THEN n := n + 1; END IF;
  END LOOP;
  RETURN n;
END $$;

-- Drift between slot counters and the rows they count (invariant 1). Empty = none.
CREATE VIEW slot_counter_drift AS
SELECT s.id AS slot_id, s.booked, s.held, coalesce(a.n, 0) AS active_appointments, coalesce(h.n, 0) AS active_hold_seats
  FROM slots s
  LEFT JOIN (SELECT slot_id, count(*)::integer AS n FROM appointments
              WHERE status IN ('booked', 'checked_in') GROUP BY slot_id) a ON a.slot_id = s.id
  LEFT JOIN (SELECT i.slot_id, sum(h.seats)::integer AS n FROM holds h JOIN hold_items i ON i.hold_id = h.id
              WHERE h.status = 'active' GROUP BY i.slot_id) h ON h.slot_id = s.id
 WHERE s.booked <> coalesce(a.n, 0) OR s.held <> coalesce(h.n, 0);
