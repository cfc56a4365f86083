import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, keySpent, newKey } from './api';
import { ErrorSummary, Page, TextField } from './forms';
import type { Booking, Person } from './types';

/** What was typed, kept when a hold expires: names and numbers per person; contact and consent once. */
export interface Typed {
  people: Array<{ identifier: string; givenName: string; familyName: string }>; language: string; email: string; mobile: string;
  address: { line: string; city: string; postalCode: string }; consent: boolean;
}
export const emptyTyped: Typed = { people: [], language: 'en', email: '', mobile: '', address: { line: '', city: '', postalCode: '' }, consent: false };

/** The input an API field (persons.1.identifier) belongs to. */
const inputOf = (field?: string) => {
  const m = /^persons\.(\d+)\.(identifier|givenName|familyName|email|mobile)/.exec(field ?? '');
  if (!m) return 'identifier';
  return ['email', 'mobile'].includes(m[2]!) ? m[2]! : m[1] === '0' ? m[2]! : `${m[2]}-${Number(m[1]) + 1}`;
};

/** Step 4: the person's details, then the booking (the hold's times, one request, an Idempotency-Key against double clicks). */
export function DetailsStep({ person, holdId, expiresAt, typed, setTyped, back, onBooked, onExpired }: {
  person: Person; holdId: string; expiresAt: string; typed: Typed; setTyped: (t: Typed) => void; back: () => void;
  onBooked: (b: Booking) => void; onExpired: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  /** The API's verdict on each identifier as it was typed (shown beside the field, before any submit). */
  const [idChecks, setIdChecks] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newKey);
  const [left, setLeft] = useState(() => Date.parse(expiresAt) - Date.now());
  useEffect(() => {
    const timer = setInterval(() => setLeft(Date.parse(expiresAt) - Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  useEffect(() => { if (left <= 0) onExpired(); }, [left, onExpired]);
  const count = 1 + person.dependents.length;
  const people = Array.from({ length: count }, (_, i) => typed.people[i] ?? { identifier: '', givenName: '', familyName: '' });
  const set = (k: 'language' | 'email' | 'mobile') => (v: string) => setTyped({ ...typed, people, [k]: v });
  const setAddress = (k: 'line' | 'city' | 'postalCode') => (v: string) => setTyped({ ...typed, people, address: { ...typed.address, [k]: v } });
  const hasAddress = !!(typed.address.line.trim() && typed.address.city.trim() && typed.address.postalCode.trim());
  const dobs = [person.dateOfBirth, ...person.dependents];
  const id = (k: string, i: number) => (i === 0 ? k : `${k}-${i + 1}`);
  const checkIdentifier = async (i: number, value: string) => {
    const field = id('identifier', i);
    if (!value.trim()) return setIdChecks(({ [field]: _, ...rest }) => rest);
    const r = await api<{ valid: boolean; message: string | null }>('POST', '/api/v1/identifiers/check', { identifier: value, dateOfBirth: dobs[i] });
    if (!r.ok) return;
    setIdChecks(({ [field]: _, ...rest }) => (r.body.valid ? rest : { ...rest, [field]: r.body.message ?? '' }));
    if (r.body.valid) setErrors((list) => list.filter((x) => x.id !== field));
  };
  const setPerson = (i: number, k: 'identifier' | 'givenName' | 'familyName') => (v: string) => {
    setTyped({ ...typed, people: people.map((p, j) => (j === i ? { ...p, [k]: v } : p)) });
    // Once a number was found wrong, say as soon as it is right (or wrong in another way).
    const field = id('identifier', i);
    if (k === 'identifier' && (idChecks[field] !== undefined || errors.some((x) => x.id === field))) void checkIdentifier(i, v);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const found = [
      ...(typed.email.trim() || typed.mobile.trim() || hasAddress ? [] : [{ id: 'email', message: t('details.contactMissing') }]),
      ...(typed.consent ? [] : [{ id: 'consent', message: t('details.consentMissing') }]),
    ];
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    const r = await api<Booking>('POST', '/api/v1/bookings', {
      holdId, ...(person.invitationCode ? { invitationCode: person.invitationCode } : {}),
      persons: people.map((p, i) => ({
        identifier: p.identifier, dateOfBirth: dobs[i], givenName: p.givenName.trim(), familyName: p.familyName.trim(), language: typed.language,
        ...(i === 0 && typed.email.trim() ? { email: typed.email.trim() } : {}), ...(i === 0 && typed.mobile.trim() ? { mobile: typed.mobile.trim() } : {}),
        ...(i === 0 && hasAddress ? { address: { line: typed.address.line.trim(), city: typed.address.city.trim(), postalCode: typed.address.postalCode.trim() } } : {}),
        regionCode: person.regionCode, groups: i === 0 ? person.groups : [],
      })),
    }, { 'idempotency-key': key });
    setBusy(false);
    if (keySpent(r)) setKey(newKey());
    if (r.ok) return onBooked(r.body);
    if (r.status === 410) return onExpired();
    setErrors([{ id: inputOf(r.error.field), message: r.error.message }]);
  };

  const minutes = Math.max(0, Math.floor(left / 60_000));
  const seconds = Math.max(0, Math.floor((left % 60_000) / 1000));
  const err = (id: string) => errors.find((x) => x.id === id)?.message ?? idChecks[id];
  return (
    <Page title={t('details.title')} back={back}>
      <div className="govuk-notification-banner" role="region" aria-labelledby="hold-title">
        <div className="govuk-notification-banner__content">
          <p className="govuk-notification-banner__heading" id="hold-title">
            <span className="vb-countdown" aria-live="off">{t('hold.left', { time: `${minutes}:${String(seconds).padStart(2, '0')}` })}</span>
          </p>
        </div>
      </div>
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        {people.map((p, i) => (
          <fieldset className="govuk-fieldset" key={i}>
            {count > 1 && <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('details.person', { n: i + 1 })}</legend>}
            <TextField id={id('identifier', i)} label={t('details.identifier')} hint={t('details.identifierHint')} value={p.identifier} onChange={setPerson(i, 'identifier')} width={20} error={err(id('identifier', i))}
              onBlur={() => void checkIdentifier(i, p.identifier)} />
            <TextField id={id('givenName', i)} label={t('details.given')} value={p.givenName} onChange={setPerson(i, 'givenName')} width={20} error={err(id('givenName', i))} autoComplete={i === 0 ? 'given-name' : 'off'} />
            <TextField id={id('familyName', i)} label={t('details.family')} value={p.familyName} onChange={setPerson(i, 'familyName')} width={20} error={err(id('familyName', i))} autoComplete={i === 0 ? 'family-name' : 'off'} />
          </fieldset>
        ))}
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="language">{t('details.language')}</label>
          <select className="govuk-select" id="language" value={typed.language} onChange={(e) => set('language')(e.target.value)}>
            <option value="en">English</option><option value="fr">Français</option>
          </select>
        </div>
        <p className="govuk-hint">{t('details.contactHint')}</p>
        <TextField id="email" label={t('details.email')} type="email" value={typed.email} onChange={set('email')} width={30} error={err('email')} autoComplete="email" inputMode="email" />
        <TextField id="mobile" label={t('details.mobile')} type="tel" value={typed.mobile} onChange={set('mobile')} width={20} error={err('mobile')} autoComplete="tel" inputMode="tel" />
        <details className="govuk-details">
          <summary className="govuk-details__summary"><span className="govuk-details__summary-text">{t('details.noEmail')}</span></summary>
          <div className="govuk-details__text">
            <TextField id="addressLine" label={t('details.addressLine')} value={typed.address.line} onChange={setAddress('line')} width={30} autoComplete="address-line1" />
            <TextField id="city" label={t('details.city')} value={typed.address.city} onChange={setAddress('city')} width={20} autoComplete="address-level2" />
            <TextField id="postalCode" label={t('details.postalCode')} value={typed.address.postalCode} onChange={setAddress('postalCode')} width={10} autoComplete="postal-code" />
          </div>
        </details>
        <div className={`govuk-form-group${err('consent') ? ' govuk-form-group--error' : ''}`}>
          {err('consent') && <p id="consent-error" className="govuk-error-message">{err('consent')}</p>}
          <div className="govuk-checkboxes govuk-checkboxes--small">
            <div className="govuk-checkboxes__item">
              <input className="govuk-checkboxes__input" id="consent" type="checkbox" checked={typed.consent} onChange={(e) => setTyped({ ...typed, people, consent: e.target.checked })} />
              <label className="govuk-label govuk-checkboxes__label" htmlFor="consent">{t('details.consent')}</label>
            </div>
          </div>
        </div>
        <button type="submit" className="govuk-button" disabled={busy} lang={i18n.language}>{t('details.book')}</button>
      </form>
    </Page>
  );
}
