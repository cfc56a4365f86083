-- A booking takes its slots' capacity last. Bookings of one busy slot wait for each other on that slot's row (and its
-- clinic-day summary row) from the moment one takes it until it commits; writing the booking, its message and its
-- appointments before taking the capacity keeps that wait down to the capacity update and the commit. A booking
-- refused for a full slot still leaves nothing behind: the whole call is one statement, rolled back as a whole.
-- The appointments' foreign key to slots only shares the slot's key (FOR KEY SHARE), which does not wait for a
-- booking that is updating the slot's counters.

CREATE OR REPLACE FUNCTION vaxbook_book(p_persons bigint[], p_hold uuid, p_slots bigint[], p_doses smallint[], p_channel text, p_code text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_booking bigint;
  v_region integer;
  v_slots bigint[] := p_slots;
  v_doses smallint[] := p_doses;
BEGIN
  IF p_hold IS NOT NULL THEN
    SELECT h.region_id INTO v_region FROM holds h WHERE h.id = p_hold;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'hold % is expired or unknown', p_hold USING ERRCODE = 'VB410';
    END IF;
    SELECT array_agg(i.slot_id ORDER BY i.dose_number), array_agg(i.dose_number ORDER BY i.dose_number)
      INTO v_slots, v_doses
      FROM hold_items i WHERE i.hold_id = p_hold;
  ELSE
    IF cardinality(p_slots) IS NULL OR cardinality(p_slots) <> cardinality(p_doses) THEN
      RAISE EXCEPTION 'one slot per dose is needed' USING ERRCODE = 'VB422';
    END IF;
    SELECT s.region_id INTO v_region FROM slots s WHERE s.id = p_slots[1];
    IF NOT FOUND THEN
      RAISE EXCEPTION 'slot % cannot be booked', p_slots[1] USING ERRCODE = 'VB404', DETAIL = p_slots[1]::text;
    END IF;
  END IF;
  INSERT INTO bookings (region_id, confirmation_code, person_id, channel)
  VALUES (v_region, p_code, p_persons[1], p_channel)
  RETURNING id INTO v_booking;
  IF p_hold IS NOT NULL THEN
    PERFORM vaxbook_consume_hold(p_hold, cardinality(p_persons));
  ELSE
    PERFORM vaxbook_take(p_slots, cardinality(p_persons), 'booked');
  END IF;
  INSERT INTO appointments (region_id, booking_id, person_id, slot_id, clinic_id, product_id, dose_number, starts_at, ends_at)
  SELECT s.region_id, v_booking, person, s.id, s.clinic_id, s.product_id, p.dose_number, s.starts_at, s.ends_at
    FROM unnest(v_doses, v_slots) AS p(dose_number, slot_id)
    JOIN slots s ON s.id = p.slot_id
    CROSS JOIN unnest(p_persons) AS person;
  RETURN v_booking;
END $$;
