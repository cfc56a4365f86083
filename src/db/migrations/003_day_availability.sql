-- Free capacity per clinic-day and product, kept exact by triggers in the
-- same transactions that change slots, so search reads a few thousand summary
-- rows instead of millions of slots. `open` copies the clinic-day's state
-- (published and not cancelled) so search needs no join. Exactness is
-- checked by reconcile.

CREATE TABLE day_availability (
  clinic_day_id integer NOT NULL REFERENCES clinic_days ON DELETE CASCADE,
  product_id smallint NOT NULL REFERENCES products,
  region_id integer NOT NULL,
  clinic_id integer NOT NULL,
  day date NOT NULL,
  capacity integer NOT NULL CHECK (capacity >= 0),
  taken integer NOT NULL CHECK (taken >= 0), -- booked + held
  open boolean NOT NULL,
  PRIMARY KEY (clinic_day_id, product_id),
  CHECK (taken <= capacity)
) WITH (fillfactor = 90);
CREATE INDEX day_availability_clinic_day ON day_availability (clinic_id, day);

INSERT INTO day_availability (clinic_day_id, product_id, region_id, clinic_id, day, capacity, taken, open)
SELECT s.clinic_day_id, s.product_id, s.region_id, s.clinic_id, cd.day, sum(s.capacity), sum(s.booked + s.held),
       cd.published_at IS NOT NULL AND cd.cancelled_at IS NULL
  FROM slots s JOIN clinic_days cd ON cd.id = s.clinic_day_id
 GROUP BY s.clinic_day_id, s.product_id, s.region_id, s.clinic_id, cd.day, cd.published_at, cd.cancelled_at
 ORDER BY s.clinic_id, cd.day;

-- Bulk inserts (sessions, seeding) arrive as one statement: aggregate them once.
CREATE FUNCTION day_availability_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO day_availability AS da (clinic_day_id, product_id, region_id, clinic_id, day, capacity, taken, open)
  SELECT n.clinic_day_id, n.product_id, n.region_id, n.clinic_id, cd.day, sum(n.capacity), sum(n.booked + n.held),
         cd.published_at IS NOT NULL AND cd.cancelled_at IS NULL
    FROM new_slots n JOIN clinic_days cd ON cd.id = n.clinic_day_id
   GROUP BY n.clinic_day_id, n.product_id, n.region_id, n.clinic_id, cd.day, cd.published_at, cd.cancelled_at
   ORDER BY n.clinic_day_id, n.product_id
  ON CONFLICT (clinic_day_id, product_id) DO UPDATE
    SET capacity = da.capacity + EXCLUDED.capacity, taken = da.taken + EXCLUDED.taken;
  RETURN NULL;
END $$;
CREATE TRIGGER slots_day_availability_insert AFTER INSERT ON slots
  REFERENCING NEW TABLE AS new_slots FOR EACH STATEMENT EXECUTE FUNCTION day_availability_after_insert();

CREATE FUNCTION day_availability_after_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE day_availability da
     SET capacity = da.capacity - o.capacity, taken = da.taken - o.taken
    FROM (SELECT clinic_day_id, product_id, sum(capacity) AS capacity, sum(booked + held) AS taken
            FROM old_slots GROUP BY clinic_day_id, product_id) o
   WHERE da.clinic_day_id = o.clinic_day_id AND da.product_id = o.product_id;
  RETURN NULL;
END $$;
CREATE TRIGGER slots_day_availability_delete AFTER DELETE ON slots
  REFERENCING OLD TABLE AS old_slots FOR EACH STATEMENT EXECUTE FUNCTION day_availability_after_delete();

-- Bookings, holds and cancellations touch one or two slots: a row trigger is cheapest.
CREATE FUNCTION day_availability_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE day_availability
     SET taken = taken + (NEW.booked + NEW.held) - (OLD.booked + OLD.held),
         capacity = capacity + NEW.capacity - OLD.capacity
   WHERE clinic_day_id = NEW.clinic_day_id AND product_id = NEW.product_id;
  RETURN NULL;
END $$;
CREATE TRIGGER slots_day_availability_update AFTER UPDATE OF booked, held, capacity ON slots
  FOR EACH ROW WHEN (OLD.booked + OLD.held <> NEW.booked + NEW.held OR OLD.capacity <> NEW.capacity)
  EXECUTE FUNCTION day_availability_after_update();

-- Publishing, unpublishing or cancelling a clinic-day shows in search at once.
CREATE FUNCTION day_availability_after_clinic_day() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE day_availability SET open = (NEW.published_at IS NOT NULL AND NEW.cancelled_at IS NULL)
   WHERE clinic_day_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER clinic_days_day_availability AFTER UPDATE OF published_at, cancelled_at ON clinic_days
  FOR EACH ROW WHEN ((OLD.published_at IS NULL) <> (NEW.published_at IS NULL) OR (OLD.cancelled_at IS NULL) <> (NEW.cancelled_at IS NULL))
  EXECUTE FUNCTION day_availability_after_clinic_day();

-- Summary rows that disagree with the slots they summarise. Empty = none.
CREATE VIEW day_availability_drift AS
SELECT coalesce(da.clinic_day_id, s.clinic_day_id) AS clinic_day_id, coalesce(da.product_id, s.product_id) AS product_id,
       da.capacity AS summary_capacity, da.taken AS summary_taken, s.capacity AS slot_capacity, s.taken AS slot_taken
  FROM day_availability da
  FULL JOIN (SELECT clinic_day_id, product_id, sum(capacity)::integer AS capacity, sum(booked + held)::integer AS taken
               FROM slots GROUP BY clinic_day_id, product_id) s
    ON s.clinic_day_id = da.clinic_day_id AND s.product_id = da.product_id
  LEFT JOIN clinic_days cd ON cd.id = coalesce(da.clinic_day_id, s.clinic_day_id)
 WHERE coalesce(da.capacity, 0) <> coalesce(s.capacity, 0) OR coalesce(da.taken, 0) <> coalesce(s.taken, 0)
    OR da.open IS DISTINCT FROM (cd.published_at IS NOT NULL AND cd.cancelled_at IS NULL);
