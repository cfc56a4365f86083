export interface LatLon { latitude: number; longitude: number }

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point `km` away from `from` on the given bearing (degrees clockwise from north). */
export function offsetKm(from: LatLon, km: number, bearingDeg: number): LatLon {
  const d = km / EARTH_RADIUS_KM;
  const b = rad(bearingDeg);
  const lat1 = rad(from.latitude);
  const lon1 = rad(from.longitude);
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 = lon1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { latitude: (lat2 * 180) / Math.PI, longitude: (((lon2 * 180) / Math.PI + 540) % 360) - 180 };
}

/** The item of `items` nearest to `point`. */
export function nearest<T extends LatLon>(point: LatLon, items: readonly T[]): T {
  let best = items[0];
  let bestKm = Infinity;
  for (const item of items) {
    const km = distanceKm(point, item);
    if (km < bestKm) { best = item; bestKm = km; }
  }
  if (!best) throw new Error('nearest: no items');
  return best;
}
