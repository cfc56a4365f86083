-- Rescheduling moves one dose of a booking to another slot atomically: the new
-- place is taken first, and only then is the old one released, so a full slot
-- leaves the old appointment exactly as it was.

CREATE OR REPLACE FUNCTION vaxbook_booking_view(p_booking bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'bookingId', b.id, 'confirmationCode', b.confirmation_code,
    'appointments', (
      SELECT jsonb_agg(jsonb_build_object(
               'dose', a.dose_number, 'status', a.status, 'startsAt', a.starts_at, 'endsAt', a.ends_at,
               'slotId', a.slot_id, 'personGivenName', p.given_name,
               'clinic', jsonb_build_object('id', c.id, 'name', c.name, 'street', c.street, 'city', c.city,
                                            'postalCode', c.postal_code, 'timeZone', c.time_zone),
               'product', pr.name) ORDER BY p.id, a.dose_number, a.id)
        FROM appointments a JOIN persons p ON p.id = a.person_id JOIN clinics c ON c.id = a.clinic_id
        JOIN products pr ON pr.id = a.product_id
       WHERE a.booking_id = b.id))
  FROM bookings b WHERE b.id = p_booking
$$;

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
