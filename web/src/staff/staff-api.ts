import { api, newKey, type ApiResult } from '../api';

/** The staff API: the session cookie rides along; every state change carries this session's CSRF token. */
let csrf = '';
export const setCsrf = (token: string) => { csrf = token; };

export function staffApi<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
  // One key per action: when api() retries it after a 502/504 (the server may have acted), the server replays its answer.
  return api<T>(method, path, body, method === 'GET' ? headers : { 'x-csrf-token': csrf, 'idempotency-key': newKey(), ...headers });
}

export interface StaffSession {
  staff: { id: number | null; email: string; displayName: string; role: string; regionIds: number[]; clinicIds: number[]; totpEnabled: boolean };
  csrfToken: string; expiresAt: string;
}

export interface ClinicInfo { id: number; code: string; regionCode: string; name: string; timeZone: string; latitude: number; longitude: number; address: { street: string; city: string; postalCode: string } }
