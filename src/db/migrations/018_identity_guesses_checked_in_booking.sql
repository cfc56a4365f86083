-- Wrong dates of birth for a health card are counted once for all HTTP workers (rate_limits, 016). Checking that count
-- before each booking was one more round trip per booking (about 0.6 ms of CPU, 10-15 % of bookings/s); the booking
-- call checks it itself, in the person upsert, from the key and limit the API passes with each person.

CREATE OR REPLACE FUNCTION vaxbook_upsert_person(p jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  -- Too many wrong dates of birth for this card lately (counted by the API in rate_limits, key and limit given by
  -- it): refused before anything is tried, so a right guess after the limit is not told apart from a wrong one.
  IF p ? 'guessKey' AND EXISTS (SELECT 1 FROM rate_limits r WHERE r.key = p->>'guessKey' AND r.points >= (p->>'guessLimit')::integer
                                   AND r.expire > (extract(epoch FROM clock_timestamp()) * 1000)::bigint) THEN
    RAISE EXCEPTION 'too many wrong dates of birth for this identifier' USING ERRCODE = 'VB429', DETAIL = p->>'identifier';
  END IF;
  INSERT INTO persons (identifier_scheme, identifier, date_of_birth, given_name, family_name, language, email, mobile,
                       address_line, city, postal_code, region_id, groups, identity_document, needs_identity_verification,
                       identifier_version)
  VALUES (p->>'identifierScheme', p->>'identifier', (p->>'dateOfBirth')::date, p->>'givenName', p->>'familyName',
          p->>'language', p->>'email', p->>'mobile', p->>'addressLine', p->>'city', p->>'postalCode',
          (SELECT r.id FROM regions r WHERE r.code = p->>'regionCode'),
          coalesce(ARRAY(SELECT jsonb_array_elements_text(p->'groups')), '{}'),
          p->>'identityDocument', p->>'identifierScheme' = 'other-document', p->>'identifierVersion')
  ON CONFLICT (identifier_scheme, identifier) DO UPDATE SET
    given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, language = EXCLUDED.language,
    email = coalesce(EXCLUDED.email, persons.email), mobile = coalesce(EXCLUDED.mobile, persons.mobile),
    address_line = coalesce(EXCLUDED.address_line, persons.address_line), city = coalesce(EXCLUDED.city, persons.city),
    postal_code = coalesce(EXCLUDED.postal_code, persons.postal_code),
    region_id = coalesce(EXCLUDED.region_id, persons.region_id),
    groups = CASE WHEN p ? 'groups' THEN EXCLUDED.groups ELSE persons.groups END,
    identifier_version = coalesce(EXCLUDED.identifier_version, persons.identifier_version)
  WHERE persons.date_of_birth = EXCLUDED.date_of_birth
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    RAISE EXCEPTION 'identifier recorded with another date of birth' USING ERRCODE = 'VB418', DETAIL = p->>'identifier';
  END IF;
  IF jsonb_typeof(p->'declaredDoses') = 'array' THEN
    -- Declared with a date only: kept at noon in the jurisdiction's time zone. A dose already recorded stands.
    INSERT INTO dose_records (region_id, person_id, product_id, dose_number, administered_at, source)
    SELECT (SELECT region_id FROM persons WHERE id = v_id), v_id, pr.id, d.ord::smallint,
           ((d.v->>'date')::date + time '12:00') AT TIME ZONE coalesce((SELECT time_zone FROM jurisdiction), 'America/Toronto'), 'declared'
      FROM jsonb_array_elements(p->'declaredDoses') WITH ORDINALITY AS d(v, ord)
      JOIN products pr ON pr.code = d.v->>'product'
    ON CONFLICT (person_id, dose_number) DO NOTHING;
  END IF;
  -- The caller assumed this many recorded doses without reading them (a first booking): more is a
  -- person it does not know well enough. Not a refusal: the whole call rolls back and it looks again.
  IF p ? 'knownDoses' AND EXISTS (SELECT 1 FROM dose_records WHERE person_id = v_id OFFSET (p->>'knownDoses')::integer) THEN
    RAISE EXCEPTION 'person % has more recorded doses than the caller knew', v_id USING ERRCODE = 'VB428';
  END IF;
  IF p ? 'invitationCode' THEN
    PERFORM vaxbook_redeem_invitation(p->>'invitationCode', v_id);
  END IF;
  RETURN v_id;
END $$;
