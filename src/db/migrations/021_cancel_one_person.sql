-- A guardian books several people under one code; one of them may need to cancel alone (a child ill on the day,
-- vaccinated elsewhere). Each appointment of a booking's view now says which person it is: 0, 1, … in the order the
-- booking listed them (the order of their first appointments, which stay as rows when cancelled or moved), and a
-- cancellation may name that person. The rule that a later dose never stays booked
-- without the one before it holds per person.
CREATE OR REPLACE FUNCTION vaxbook_booking_view(p_booking bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'bookingId', b.id, 'confirmationCode', b.confirmation_code,
    'appointments', (
      SELECT jsonb_agg(jsonb_build_object(
               'dose', a.dose_number, 'status', a.status, 'startsAt', a.starts_at, 'endsAt', a.ends_at,
               'slotId', a.slot_id, 'personGivenName', p.given_name, 'person', a.person_index,
               'clinic', jsonb_build_object('id', c.id, 'name', c.name, 'street', c.street, 'city', c.city,
                                            'postalCode', c.postal_code, 'timeZone', c.time_zone),
               'product', pr.name) ORDER BY a.person_index, a.dose_number, a.id)
        FROM (SELECT y.*, dense_rank() OVER (ORDER BY y.first_id) - 1 AS person_index
                FROM (SELECT x.*, min(x.id) OVER (PARTITION BY x.person_id) AS first_id
                        FROM appointments x WHERE x.booking_id = b.id) y) a
        JOIN persons p ON p.id = a.person_id JOIN clinics c ON c.id = a.clinic_id
        JOIN products pr ON pr.id = a.product_id))
  FROM bookings b WHERE b.id = p_booking
$$;

-- The person of a booking at `p_index` in the view's order (NULL: no such person).
CREATE FUNCTION vaxbook_booking_person(p_booking bigint, p_index integer) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT person_id FROM appointments WHERE booking_id = p_booking
   GROUP BY person_id ORDER BY min(id) OFFSET p_index LIMIT 1
$$;

DROP FUNCTION vaxbook_cancel(bigint, smallint[]);
CREATE FUNCTION vaxbook_cancel(p_booking bigint, p_doses smallint[], p_person bigint DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_slots bigint[];
  v_deltas integer[];
BEGIN
  PERFORM 1 FROM bookings WHERE id = p_booking FOR NO KEY UPDATE;
  IF p_doses IS NOT NULL AND EXISTS (
       SELECT 1 FROM appointments
        WHERE booking_id = p_booking AND status = 'booked' AND (p_person IS NULL OR person_id = p_person)
          AND dose_number > (SELECT min(d) FROM unnest(p_doses) d) AND NOT dose_number = ANY (p_doses)) THEN
    RAISE EXCEPTION 'booking % keeps a later dose booked', p_booking USING ERRCODE = 'VB412';
  END IF;
  WITH gone AS (
    UPDATE appointments SET status = 'cancelled', cancelled_at = now()
     WHERE booking_id = p_booking AND status = 'booked' AND (p_doses IS NULL OR dose_number = ANY (p_doses))
       AND (p_person IS NULL OR person_id = p_person)
    RETURNING slot_id)
  SELECT array_agg(slot_id), array_agg(-1) INTO v_slots, v_deltas FROM gone;
  IF v_slots IS NOT NULL THEN
    PERFORM vaxbook_change_seats(v_slots, v_deltas);
  END IF;
  RETURN coalesce(cardinality(v_slots), 0);
END $$;

-- Appointments are created person by person, in the order the booking lists them, so the view's person order is
-- the booking's (the order of ids a multi-row INSERT assigns follows its ORDER BY).
CREATE OR REPLACE FUNCTION vaxbook_book(p_persons bigint[], p_hold uuid, p_slots bigint[], p_doses smallint[], p_channel text, p_code text)
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
    CROSS JOIN unnest(p_persons) WITH ORDINALITY AS people(person, nth)
   ORDER BY people.nth, p.dose_number;
  RETURN v_booking;
END $$;
