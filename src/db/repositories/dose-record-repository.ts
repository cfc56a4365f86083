import type pg from 'pg';

/**
 * Imports one person's doses from a registry: finds or creates the person
 * (vaxbook_upsert_person) and adds each dose as dose 1, 2, … in date order;
 * a dose number already recorded stands. Returns how many doses were added.
 */
export async function importPersonDoses(db: pg.PoolClient, person: Record<string, unknown>, doses: Array<{ date: string; product: string }>): Promise<number> {
  const r = await db.query(
    `WITH p AS (SELECT vaxbook_upsert_person($1::jsonb) AS id)
     INSERT INTO dose_records (region_id, person_id, product_id, dose_number, administered_at, source)
     SELECT (SELECT region_id FROM persons WHERE id = p.id), p.id, pr.id, d.ord::smallint,
            ((d.v->>'date')::date + time '12:00') AT TIME ZONE coalesce((SELECT time_zone FROM jurisdiction), 'America/Toronto'), 'imported'
     FROM p CROSS JOIN jsonb_array_elements($2::jsonb) WITH ORDINALITY AS d(v, ord) JOIN products pr ON pr.code = d.v->>'product'
     ON CONFLICT (person_id, dose_number) DO NOTHING`, [JSON.stringify(person), JSON.stringify(doses)]);
  return r.rowCount ?? 0;
}
