-- A guardian who booked several people under one code may move one person's dose alone (a child's school trip):
-- the reschedule may name that person, as a cancellation can since 021. Without a person it moves everyone booked
-- for that dose, as before, to the one new slot.
DROP FUNCTION vaxbook_reschedule(bigint, smallint, bigint);
CREATE FUNCTION vaxbook_reschedule(p_booking bigint, p_dose smallint, p_new_slot bigint, p_person bigint DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SET vaxbook.change = 'reschedule' AS $$
DECLARE
  v_ids bigint[];
  v_people bigint[];
  v_slots bigint[];
  v_deltas integer[];
BEGIN
  PERFORM 1 FROM bookings WHERE id = p_booking FOR NO KEY UPDATE;
  SELECT array_agg(a.id ORDER BY a.id), array_agg(a.person_id ORDER BY a.id) INTO v_ids, v_people
    FROM (SELECT id, person_id FROM appointments
           WHERE booking_id = p_booking AND dose_number = p_dose AND status = 'booked'
             AND (p_person IS NULL OR person_id = p_person)
           ORDER BY id FOR UPDATE) a;
  IF v_ids IS NULL THEN
    RAISE EXCEPTION 'booking % has no active dose %', p_booking, p_dose USING ERRCODE = 'VB416';
  END IF;
  -- Whoever is on the new slot already stays as they are (their appointment is not cancelled and made again, nor
  -- are they told it moved); the others move.
  SELECT array_agg(id ORDER BY id), array_agg(person_id ORDER BY id) INTO v_ids, v_people
    FROM appointments WHERE id = ANY (v_ids) AND slot_id <> p_new_slot;
  IF v_ids IS NULL THEN
    RETURN 0; -- all there already
  END IF;
  -- The old seats and the new ones change in one ordered pass; a full new slot aborts the whole call, so the old
  -- appointments stand.
  WITH gone AS (
    UPDATE appointments SET status = 'cancelled', cancelled_at = now() WHERE id = ANY (v_ids) RETURNING slot_id)
  SELECT array_agg(slot_id) || p_new_slot, array_agg(-1) || cardinality(v_people) INTO v_slots, v_deltas FROM gone;
  PERFORM vaxbook_change_seats(v_slots, v_deltas);
  INSERT INTO appointments (region_id, booking_id, person_id, slot_id, clinic_id, product_id, dose_number, starts_at, ends_at)
  SELECT s.region_id, p_booking, person, s.id, s.clinic_id, s.product_id, p_dose, s.starts_at, s.ends_at
    FROM slots s CROSS JOIN unnest(v_people) AS person WHERE s.id = p_new_slot;
  RETURN cardinality(v_ids);
END $$;
