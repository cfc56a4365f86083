-- Changes to one booking happen one at a time, and never leave a later dose without the one before.
--
-- A cancel and a reschedule of the same booking used to run side by side: the cancel's UPDATE did not see
-- the appointment the reschedule was inserting, answered "cancelled" and left that appointment booked.
-- Both now lock the booking row first, so the second waits and then sees what the first did.

-- A hold names each slot once: two doses in one slot would count it once when taken and twice when given back.
DO $$
DECLARE
  v_hold uuid;
BEGIN
  -- Holds made that way before this check: ended, and what they took given back once per slot.
  FOR v_hold IN SELECT DISTINCT hold_id FROM hold_items GROUP BY hold_id, slot_id HAVING count(*) > 1 LOOP
    UPDATE slots s SET held = s.held - h.seats
      FROM holds h WHERE h.id = v_hold AND h.status = 'active'
       AND s.id IN (SELECT DISTINCT slot_id FROM hold_items WHERE hold_id = v_hold);
    UPDATE holds SET status = 'released', ended_at = now() WHERE id = v_hold AND status = 'active';
    DELETE FROM hold_items i USING (
      SELECT ctid, row_number() OVER (PARTITION BY slot_id ORDER BY dose_number) AS n FROM hold_items WHERE hold_id = v_hold) d
     WHERE i.ctid = d.ctid AND d.n > 1;
  END LOOP;
END $$;
ALTER TABLE hold_items ADD CONSTRAINT hold_items_one_dose_per_slot UNIQUE (hold_id, slot_id);

-- Cancels the given doses of a booking (all when p_doses is NULL); capacity is free at once. An earlier
-- dose cannot go while a later one stays booked (VB412): cancel both, or move the earlier one.
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
  SELECT array_agg(slot_id ORDER BY slot_id), array_agg(n ORDER BY slot_id) INTO v_slots, v_counts
    FROM (SELECT slot_id, count(*)::integer AS n FROM gone GROUP BY slot_id) per_slot;
  FOR i IN 1..coalesce(cardinality(v_slots), 0) LOOP
    UPDATE slots SET booked = booked - v_counts[i] WHERE id = v_slots[i];
  END LOOP;
  RETURN coalesce((SELECT sum(x) FROM unnest(v_counts) x), 0);
END $$;

-- Moves one dose of a booking to another slot (see 005). No active appointment for that dose: VB416.
CREATE OR REPLACE FUNCTION vaxbook_reschedule(p_booking bigint, p_dose smallint, p_new_slot bigint) RETURNS integer
LANGUAGE plpgsql SET vaxbook.change = 'reschedule' AS $$
DECLARE
  v_ids bigint[];
  v_people bigint[];
  v_slots bigint[];
  v_counts integer[];
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
  PERFORM vaxbook_take(ARRAY[p_new_slot], cardinality(v_people), 'booked');
  WITH gone AS (
    UPDATE appointments SET status = 'cancelled', cancelled_at = now() WHERE id = ANY (v_ids) RETURNING slot_id)
  SELECT array_agg(slot_id ORDER BY slot_id), array_agg(n ORDER BY slot_id) INTO v_slots, v_counts
    FROM (SELECT slot_id, count(*)::integer AS n FROM gone GROUP BY slot_id) per_slot;
  FOR i IN 1..cardinality(v_slots) LOOP
    UPDATE slots SET booked = booked - v_counts[i] WHERE id = v_slots[i];
  END LOOP;
  INSERT INTO appointments (region_id, booking_id, person_id, slot_id, clinic_id, product_id, dose_number, starts_at, ends_at)
  SELECT s.region_id, p_booking, person, s.id, s.clinic_id, s.product_id, p_dose, s.starts_at, s.ends_at
    FROM slots s CROSS JOIN unnest(v_people) AS person WHERE s.id = p_new_slot;
  RETURN cardinality(v_ids);
END $$;
