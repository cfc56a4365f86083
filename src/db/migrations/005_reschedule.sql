-- Rescheduling moves one dose of a booking to another slot atomically: the new
-- place is taken first, and only then is the old one released, so a full slot
-- leaves the old appointment exactly as it was.

CREATE FUNCTION vaxbook_reschedule(p_booking bigint, p_dose smallint, p_new_slot bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_ids bigint[];
  v_people bigint[];
  v_slots bigint[];
  v_counts integer[];
BEGIN
  SELECT array_agg(a.id ORDER BY a.id), array_agg(a.person_id ORDER BY a.id) INTO v_ids, v_people
    FROM (SELECT id, person_id FROM appointments
           WHERE booking_id = p_booking AND dose_number = p_dose AND status = 'booked'
           ORDER BY id FOR UPDATE) a;
  IF v_ids IS NULL THEN
    RAISE EXCEPTION 'booking % has no active dose %', p_booking, p_dose USING ERRCODE = 'VB404';
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
