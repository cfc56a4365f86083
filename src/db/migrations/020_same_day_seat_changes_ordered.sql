-- A booking locks its slot, then the slot's clinic-day summary row (trigger of 003). A change of seats on two slots
-- of the same clinic day and product — moving a dose to another time of that day — updated the first slot (taking
-- the summary row) and then waited for the second: a booking holding the second slot and waiting for the summary
-- row deadlocked with it, and PostgreSQL aborted one of them after a second. Seats now change clinic-day by
-- clinic-day as before, and within one clinic day and product every slot is locked before any is updated, so the
-- summary row always comes after the slots, as in a booking.
CREATE FUNCTION vaxbook_change_seats(p_slots bigint[], p_deltas integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.slot_id, c.delta,
                  count(*) OVER day_product AS in_day,
                  row_number() OVER (day_product ORDER BY c.slot_id) AS nth,
                  array_agg(c.slot_id) OVER day_product AS day_slots
             FROM (SELECT u.slot_id, sum(u.delta)::integer AS delta
                     FROM unnest(p_slots, p_deltas) AS u(slot_id, delta) GROUP BY u.slot_id) c
             JOIN slots s ON s.id = c.slot_id
           WINDOW day_product AS (PARTITION BY s.clinic_day_id, s.product_id)
            ORDER BY s.clinic_day_id NULLS FIRST, s.product_id, c.slot_id LOOP
    IF r.nth = 1 AND r.in_day > 1 THEN
      PERFORM 1 FROM slots WHERE id = ANY (r.day_slots) ORDER BY id FOR UPDATE;
    END IF;
    IF r.delta > 0 THEN
      PERFORM vaxbook_take(ARRAY[r.slot_id], r.delta, 'booked');
    ELSIF r.delta < 0 THEN
      UPDATE slots SET booked = booked + r.delta WHERE id = r.slot_id;
    END IF;
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION vaxbook_cancel(p_booking bigint, p_doses smallint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_slots bigint[];
  v_deltas integer[];
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
  SELECT array_agg(slot_id), array_agg(-1) INTO v_slots, v_deltas FROM gone;
  IF v_slots IS NOT NULL THEN
    PERFORM vaxbook_change_seats(v_slots, v_deltas);
  END IF;
  RETURN coalesce(cardinality(v_slots), 0);
END $$;

CREATE OR REPLACE FUNCTION vaxbook_reschedule(p_booking bigint, p_dose smallint, p_new_slot bigint) RETURNS integer
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
           ORDER BY id FOR UPDATE) a;
  IF v_ids IS NULL THEN
    RAISE EXCEPTION 'booking % has no active dose %', p_booking, p_dose USING ERRCODE = 'VB416';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM appointments WHERE id = ANY (v_ids) AND slot_id <> p_new_slot) THEN
    RETURN 0; -- already there
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
