-- The person upsert as PL/pgSQL: its INSERT plan is prepared once per connection
-- and reused, where the SQL-language version was parsed and planned on every
-- call (about 9% of a booking's database CPU).
CREATE OR REPLACE FUNCTION vaxbook_upsert_person(p jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  INSERT INTO persons (identifier_scheme, identifier, date_of_birth, given_name, family_name, language, email, mobile,
                       address_line, city, postal_code)
  VALUES (p->>'identifierScheme', p->>'identifier', (p->>'dateOfBirth')::date, p->>'givenName', p->>'familyName',
          p->>'language', p->>'email', p->>'mobile', p->>'addressLine', p->>'city', p->>'postalCode')
  ON CONFLICT (identifier_scheme, identifier, date_of_birth) DO UPDATE SET
    given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, language = EXCLUDED.language,
    email = coalesce(EXCLUDED.email, persons.email), mobile = coalesce(EXCLUDED.mobile, persons.mobile),
    address_line = coalesce(EXCLUDED.address_line, persons.address_line), city = coalesce(EXCLUDED.city, persons.city),
    postal_code = coalesce(EXCLUDED.postal_code, persons.postal_code)
  RETURNING id INTO v_id;
  RETURN v_id;
END $$;
