-- Slots are locked clinic-day by clinic-day. Changing a slot's counters also updates its clinic-day summary row
-- (trigger of 003), so a transaction that changes two slots locks slot, summary, slot, summary. Ordered by slot id
-- alone, two series bookings could take the same two summary rows in opposite orders and deadlock (each waits a
-- second, then one is aborted): the slots of a day published in two sessions have ids on both sides of another
-- day's. Ordered by (clinic-day, product, slot id) — the summary's key first — every transaction that changes at
-- most one slot per summary row takes all its rows in one global order. (The order is written out in each PL/pgSQL
-- loop, not in an SQL helper function: PL/pgSQL keeps a statement's plan, an SQL function is planned on every call.)

CREATE OR REPLACE FUNCTION vaxbook_take(p_slots bigint[], p_seats integer, p_as text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_slot bigint;
  v_attempt integer;
BEGIN
  -- Unknown slots first: refused (VB404 below) before anything is locked.
  FOR v_slot IN SELECT x.id FROM (SELECT DISTINCT unnest(p_slots) AS id) x LEFT JOIN slots s ON s.id = x.id
                 ORDER BY s.clinic_day_id NULLS FIRST, s.product_id, x.id LOOP
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

CREATE OR REPLACE FUNCTION vaxbook_end_hold(p_hold uuid, p_status text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_seats smallint;
  v_slot bigint;
BEGIN
  UPDATE holds SET status = p_status, ended_at = now()
   WHERE id = p_hold AND status = 'active'
  RETURNING seats INTO v_seats;
  IF NOT FOUND THEN RETURN false; END IF;
  FOR v_slot IN SELECT i.slot_id FROM hold_items i JOIN slots s ON s.id = i.slot_id WHERE i.hold_id = p_hold
                 ORDER BY s.clinic_day_id, s.product_id, i.slot_id LOOP
    UPDATE slots SET held = held - v_seats WHERE id = v_slot;
  END LOOP;
  RETURN true;
END $$;

CREATE OR REPLACE FUNCTION vaxbook_consume_hold(p_hold uuid, p_seats integer) RETURNS TABLE (dose_number smallint, slot_id bigint)
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
  FOR v_slot IN SELECT i.slot_id FROM hold_items i JOIN slots s ON s.id = i.slot_id WHERE i.hold_id = p_hold
                 ORDER BY s.clinic_day_id, s.product_id, i.slot_id LOOP
    UPDATE slots SET held = held - v_seats, booked = booked + v_seats WHERE id = v_slot;
  END LOOP;
  RETURN QUERY SELECT i.dose_number, i.slot_id FROM hold_items i WHERE i.hold_id = p_hold ORDER BY i.dose_number;
END $$;

CREATE OR REPLACE FUNCTION vaxbook_cancel(p_booking bigint, p_doses smallint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_slots bigint[];
  v_counts integer[];
BEGIN
  PERFORM 1 FROM bookings WHERE id = p_booking FOR NO KEY UPDATE;
  IF p_doses IS NOT NULL AND EXISTS (
       SELECT 1 FROM appointments
        WHERE booking_id = p_booking AND status = 'booked' AND dose_number > (SELECT min(d) FROM unnest(p_doses) d)
          AND NOT dose_number = ANY (p_doses)) THEN
    RAISE EXCEPTION 'booking % keeps a later dose booked', p_booking USING ERRCODE = 'VB412';
  END IF;
  WITH gone AS (
    UPDATE appointments SET status = 'cancelled', cancelled_at = now()
     WHERE booking_id = p_booking AND status = 'booked' AND (p_doses IS NULL OR dose_number = ANY (p_doses))
    RETURNING slot_id)
  SELECT array_agg(g.slot_id ORDER BY s.clinic_day_id, s.product_id, g.slot_id),
         array_agg(g.n ORDER BY s.clinic_day_id, s.product_id, g.slot_id) INTO v_slots, v_counts
    FROM (SELECT slot_id, count(*)::integer AS n FROM gone GROUP BY slot_id) g JOIN slots s ON s.id = g.slot_id;
  FOR i IN 1..coalesce(cardinality(v_slots), 0) LOOP
    UPDATE slots SET booked = booked - v_counts[i] WHERE id = v_slots[i];
  END LOOP;
  RETURN coalesce((SELECT sum(x) FROM unnest(v_counts) x), 0);
END $$;

-- A reschedule takes the new slot and gives back the old one in the same lock order (the outcome is the same
-- either way: one statement, all or nothing).
CREATE OR REPLACE FUNCTION vaxbook_reschedule(p_booking bigint, p_dose smallint, p_new_slot bigint) RETURNS integer
LANGUAGE plpgsql SET vaxbook.change = 'reschedule' AS $$
DECLARE
  v_ids bigint[];
  v_people bigint[];
  v_slots bigint[];
  v_counts integer[];
  v_take_first boolean;
BEGIN
  PERFORM 1 FROM bookings WHERE id = p_booking FOR NO KEY UPDATE;
  SELECT array_agg(a.id ORDER BY a.id), array_agg(a.person_id ORDER BY a.id) INTO v_ids, v_people
    FROM (SELECT id, person_id FROM appointments
           WHERE booking_id = p_booking AND dose_number = p_dose AND status = 'booked'
           ORDER BY id FOR UPDATE) a;
  IF v_ids IS NULL THEN
    RAISE EXCEPTION 'booking % has no active dose %', p_booking, p_dose USING ERRCODE = 'VB416';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM appointments WHERE id = ANY (v_ids) AND slot_id <> p_new_slot) THEN
    RETURN 0; -- already there
  END IF;
  v_take_first := NOT EXISTS (
    SELECT 1 FROM appointments a JOIN slots o ON o.id = a.slot_id JOIN slots n ON n.id = p_new_slot
     WHERE a.id = ANY (v_ids) AND (o.clinic_day_id, o.product_id, o.id) < (n.clinic_day_id, n.product_id, n.id));
  IF v_take_first THEN
    PERFORM vaxbook_take(ARRAY[p_new_slot], cardinality(v_people), 'booked');
  END IF;
  WITH gone AS (
    UPDATE appointments SET status = 'cancelled', cancelled_at = now() WHERE id = ANY (v_ids) RETURNING slot_id)
  SELECT array_agg(g.slot_id ORDER BY s.clinic_day_id, s.product_id, g.slot_id),
         array_agg(g.n ORDER BY s.clinic_day_id, s.product_id, g.slot_id) INTO v_slots, v_counts
    FROM (SELECT slot_id, count(*)::integer AS n FROM gone GROUP BY slot_id) g JOIN slots s ON s.id = g.slot_id;
  FOR i IN 1..cardinality(v_slots) LOOP
    UPDATE slots SET booked = booked - v_counts[i] WHERE id = v_slots[i];
  END LOOP;
  IF NOT v_take_first THEN
    PERFORM vaxbook_take(ARRAY[p_new_slot], cardinality(v_people), 'booked');
  END IF;
  INSERT INTO appointments (region_id, booking_id, person_id, slot_id, clinic_id, product_id, dose_number, starts_at, ends_at)
  SELECT s.region_id, p_booking, person, s.id, s.clinic_id, s.product_id, p_dose, s.starts_at, s.ends_at
    FROM slots s CROSS JOIN unnest(v_people) AS person WHERE s.id = p_new_slot;
  RETURN cardinality(v_ids);
END $$;
