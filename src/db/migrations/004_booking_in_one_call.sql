-- A booking request in one database call: idempotency claim, people, the
-- series booking and its stored answer. The answer is small (the booking's
-- id and code): the service already knows the slots and people it asked for.

-- Finds or creates a person by identifier + date of birth (unique), refreshing
-- names, language and any contact details given.
CREATE FUNCTION vaxbook_upsert_person(p jsonb) RETURNS bigint
LANGUAGE sql AS $$
  INSERT INTO persons (identifier_scheme, identifier, date_of_birth, given_name, family_name, language, email, mobile,
                       address_line, city, postal_code)
  VALUES (p->>'identifierScheme', p->>'identifier', (p->>'dateOfBirth')::date, p->>'givenName', p->>'familyName',
          p->>'language', p->>'email', p->>'mobile', p->>'addressLine', p->>'city', p->>'postalCode')
  ON CONFLICT (identifier_scheme, identifier, date_of_birth) DO UPDATE SET
    given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, language = EXCLUDED.language,
    email = coalesce(EXCLUDED.email, persons.email), mobile = coalesce(EXCLUDED.mobile, persons.mobile),
    address_line = coalesce(EXCLUDED.address_line, persons.address_line), city = coalesce(EXCLUDED.city, persons.city),
    postal_code = coalesce(EXCLUDED.postal_code, persons.postal_code)
  RETURNING id
$$;

-- People, then the series (vaxbook_book). Raises like vaxbook_book.
CREATE FUNCTION vaxbook_book_people(p_persons jsonb, p_hold uuid, p_slots bigint[], p_doses smallint[], p_channel text,
  p_code text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_people bigint[];
BEGIN
  SELECT array_agg(vaxbook_upsert_person(x.v) ORDER BY x.ord) INTO v_people
    FROM jsonb_array_elements(p_persons) WITH ORDINALITY AS x(v, ord);
  RETURN jsonb_build_object('bookingId', vaxbook_book(v_people, p_hold, p_slots, p_doses, p_channel, p_code),
                            'confirmationCode', p_code);
END $$;

-- Without a key, refusals are raised (the caller maps them; nothing is kept).
-- With a key, they are caught in a subtransaction and stored with the key, so a
-- repeat replays the same answer; a concurrent repeat waits on the key's row.
CREATE FUNCTION vaxbook_create_booking(p_key text, p_hash text, p_persons jsonb, p_hold uuid, p_slots bigint[],
  p_doses smallint[], p_channel text, p_code text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_prior idempotency_keys%ROWTYPE;
  v_result jsonb;
  v_state text;
  v_constraint text;
  v_detail text;
BEGIN
  IF p_key IS NULL THEN
    RETURN vaxbook_book_people(p_persons, p_hold, p_slots, p_doses, p_channel, p_code) || '{"replay": false}';
  END IF;
  INSERT INTO idempotency_keys (operation, key, request_hash, status_code, result)
  VALUES ('createBooking', p_key, p_hash, 0, 'null') ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    SELECT * INTO v_prior FROM idempotency_keys WHERE operation = 'createBooking' AND key = p_key;
    IF v_prior.request_hash <> p_hash THEN
      RETURN jsonb_build_object('replay', false, 'error', jsonb_build_object('sqlstate', 'VB423'));
    END IF;
    RETURN v_prior.result || '{"replay": true}';
  END IF;
  BEGIN
    v_result := vaxbook_book_people(p_persons, p_hold, p_slots, p_doses, p_channel, p_code);
  EXCEPTION WHEN SQLSTATE 'VB409' OR SQLSTATE 'VB404' OR SQLSTATE 'VB410' OR SQLSTATE 'VB422'
              OR unique_violation OR exclusion_violation THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_constraint = CONSTRAINT_NAME, v_detail = PG_EXCEPTION_DETAIL;
    IF v_state = '23505' AND v_constraint IS DISTINCT FROM 'appointments_one_active_per_dose' THEN
      RAISE; -- not a business refusal (a confirmation-code collision): the caller retries with a new code
    END IF;
    v_result := jsonb_build_object('error', jsonb_build_object('sqlstate', v_state, 'constraint', v_constraint, 'detail', v_detail));
  END;
  UPDATE idempotency_keys SET status_code = CASE WHEN v_result ? 'bookingId' THEN 201 ELSE 409 END, result = v_result
   WHERE operation = 'createBooking' AND key = p_key;
  RETURN v_result || '{"replay": false}';
END $$;

-- A booking as the API shows it (look-up, reschedule).
CREATE FUNCTION vaxbook_booking_view(p_booking bigint) RETURNS jsonb
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
