import i18n from './i18n';

/** The public API, as the portal calls it: same origin, the person's language, JSON in and out. */
export interface ApiError { code: string; message: string; field?: string; detail?: unknown }
export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiError };

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(path, {
        method, headers: { 'accept-language': i18n.language, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch {
      return { ok: false, status: 0, error: { code: 'network', message: i18n.t('failed') } };
    }
    // Busy (or a proxy in front saying so): wait as long as the server asks, a few times, then give up with a message.
    if ([429, 502, 503, 504].includes(res.status) && attempt < 3) {
      const wait = Math.min(10, Number(res.headers.get('retry-after')) || 2);
      // The page shows the countdown (App listens): people see why nothing happens, and that it will.
      for (let left = wait; left > 0; left--) {
        dispatchEvent(new CustomEvent('vb-busy', { detail: left }));
        await new Promise((r) => setTimeout(r, 1000));
      }
      dispatchEvent(new CustomEvent('vb-busy', { detail: 0 }));
      continue;
    }
    let json: unknown = null;
    try {
      const text = await res.text();
      json = text ? JSON.parse(text) : null;
    } catch {
      json = undefined; // not our API's JSON (a proxy's error page, a cut connection)
    }
    if (json === undefined || (!res.ok && !(json as ApiError | null)?.message)) {
      return { ok: false, status: res.status, error: { code: 'unexpected_response', message: i18n.t('failed') } };
    }
    return res.ok ? { ok: true, status: res.status, body: json as T } : { ok: false, status: res.status, error: json as ApiError };
  }
}

/** An Idempotency-Key. randomUUID exists only on https and localhost; getRandomValues everywhere. */
export const newKey = () => crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Whether a request's Idempotency-Key is spent: the server answered it with a refusal (a full slot, bad input), so a
 * corrected request needs a new key. After no answer, a server failure, or "still in progress", the same key is kept,
 * so sending again cannot book twice.
 */
export const keySpent = (r: ApiResult<unknown>) => !r.ok && r.status >= 400 && r.status < 500 && r.error.code !== 'idempotency_key_in_progress';
