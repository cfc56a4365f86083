import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DayList } from './DayList';
import { api } from './api';
import { km, longDay, shortDay } from './format';
import { ErrorSummary, Page, TextField } from './forms';
import type { Clinic, OfferedDay, Person, SearchAnswer } from './types';
import { ClinicMap } from './ClinicMap';
import { usePortal } from './portal';


/** Step 2: clinics nearest first, each with the days the person may book; an empty answer says why and where else. */
export function SearchStep({ person, back, onChoose, onSeparately }: {
  person: Person; back: () => void; onChoose: (clinic: Clinic, day: OfferedDay) => void; onSeparately: () => void;
}) {
  const { t } = useTranslation();
  const [place, setPlace] = useState(person.place);
  const [radius, setRadius] = useState('25');
  const [from, setFrom] = useState('');
  const [kind, setKind] = useState('');
  const [language, setLanguage] = useState('');
  const [access, setAccess] = useState<string[]>([]);
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [searched, setSearched] = useState('');
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [busy, setBusy] = useState(false);
  const portal = usePortal();

  const shown = answer?.items ?? [];
  const shownClinics = useMemo(() => shown.map((c) => c.clinic), [shown]);

  const run = async (cursor?: string) => {
    setBusy(true);
    const r = await api<SearchAnswer>('POST', '/api/v1/availability/search', {
      // Everyone booked together gets the same vaccine at the same times: the API offers only days that suit them all.
      place: place.trim(), radiusKm: Number(radius), dateOfBirth: person.dateOfBirth, alsoFor: person.dependents, regionCode: person.regionCode, groups: person.groups,
      ...(person.invitationCode ? { invitationCode: person.invitationCode } : {}), ...(cursor ? { cursor } : {}), limit: 10,
      ...(from ? { from } : {}), ...(kind ? { kind } : {}), ...(language ? { language } : {}), accessibility: access,
    });
    setBusy(false);
    if (!r.ok) return setErrors([{ id: 'place', message: r.error.message }]);
    setErrors([]);
    setSearched(place.trim());
    setAnswer((prev) => (cursor && prev ? { ...r.body, items: [...prev.items, ...r.body.items] } : r.body));
  };

  // The postal code or town given at eligibility: the clinics near it come at once.
  useEffect(() => { if (person.place) void run(); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Page title={t('search.title')} back={back}>
      <ErrorSummary errors={errors} />
      <form onSubmit={(e) => { e.preventDefault(); void run(); }} noValidate className="vb-noprint">
        <TextField id="place" label={t('search.place')} hint={t('search.placeHint')} value={place} onChange={setPlace} width={20}
          error={errors.find((x) => x.id === 'place')?.message} autoComplete="address-level2" />
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="radius">{t('search.radius')}</label>
          <select className="govuk-select" id="radius" value={radius} onChange={(e) => setRadius(e.target.value)}>
            {[5, 10, 25, 50, 100].map((k) => <option key={k} value={k}>{t('search.within', { km: k })}</option>)}
          </select>
        </div>
        <details className="govuk-details">
          <summary className="govuk-details__summary"><span className="govuk-details__summary-text">{t('filters.title')}</span></summary>
          <div className="govuk-details__text">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="from">{t('filters.from')}</label>
              <input className="govuk-input govuk-input--width-10" type="date" id="from" value={from} onChange={(e) => setFrom(e.target.value)} />
            </div>
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="kind">{t('filters.kind')}</label>
              <select className="govuk-select" id="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
                <option value="">{t('filters.any')}</option>
                {['mass_site', 'pharmacy', 'hospital', 'primary_care', 'mobile'].map((k) => <option key={k} value={k}>{t(`filters.kinds.${k}`)}</option>)}
              </select>
            </div>
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="language">{t('filters.language')}</label>
              <select className="govuk-select" id="language" value={language} onChange={(e) => setLanguage(e.target.value)}>
                <option value="">{t('filters.any')}</option><option value="en">English</option><option value="fr">Français</option>
              </select>
            </div>
            <fieldset className="govuk-fieldset">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{t('filters.access')}</legend>
              <div className="govuk-checkboxes govuk-checkboxes--small">
                {['wheelchair', 'accessible_parking', 'hearing_loop', 'quiet_room', 'sign_language'].map((a) => (
                  <div className="govuk-checkboxes__item" key={a}>
                    <input className="govuk-checkboxes__input" id={`access-${a}`} type="checkbox" checked={access.includes(a)}
                      onChange={(e) => setAccess(e.target.checked ? [...access, a] : access.filter((x) => x !== a))} />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor={`access-${a}`}>{t(`filters.features.${a}`)}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        </details>
        <button type="submit" className="govuk-button" disabled={busy}>{t('search.find')}</button>
      </form>
      {answer && (
        <section aria-live="polite">
          <h2 className="govuk-heading-m">{answer.items.length ? t('search.results', { place: searched }) : t('search.none')}</h2>
          {answer.explanation && (
            <div className="govuk-inset-text">
              <p className="govuk-body">{answer.explanation.message}</p>
              {answer.explanation.eligibility?.map((r, i) => <p className="govuk-body" key={i}>{r.message}</p>)}
              {['no_common_product', 'no_room_together'].includes(answer.explanation.reason) && person.dependents.length > 0 && <>
                <p className="govuk-body">{t('search.separatelyHint', { count: person.dependents.length })}</p>
                <button type="button" className="govuk-button" onClick={onSeparately}>{t('search.separately')}</button>
              </>}
              {answer.explanation.nearest && <p className="govuk-body">{t('search.nearest', {
                clinic: answer.explanation.nearest.clinic.name, km: km(answer.explanation.nearest.clinic.distanceKm), date: longDay(answer.explanation.nearest.day),
              })}</p>}
            </div>
          )}
          {person.dependents.length > 0 && <p className="govuk-hint">{t('search.together')}</p>}
          <div className={portal.mapTiles && shown.length ? 'vb-results vb-results--map' : 'vb-results'}>
            <div>
          <ol className="govuk-list">
            {shown.map(({ clinic, days }) => (
              <li key={clinic.id} className="govuk-summary-card" id={`clinic-${clinic.id}`} tabIndex={-1}>
                <div className="govuk-summary-card__title-wrapper">
                  <h3 className="govuk-summary-card__title">{clinic.name} <span className="govuk-caption-m">{t('search.km', { km: km(clinic.distanceKm) })}</span></h3>
                </div>
                <div className="govuk-summary-card__content">
                  <p className="govuk-body">{clinic.address.street}, {clinic.address.city} {clinic.address.postalCode}</p>
                  <p className="govuk-body govuk-!-font-weight-bold">{t('search.chooseDay')}</p>
                  <DayList days={days} shown={14} keyOf={(d) => `${d.day}-${d.product.code}`} moreLabel={(count) => t('search.moreDays', { count })} render={(d) => (
                    <button type="button" className="govuk-button govuk-button--secondary" onClick={() => onChoose(clinic, d)}>
                      {shortDay(d.day)} <span className="govuk-body-s">({t('search.free', { count: d.freeCapacity })})</span>
                      {/* Two vaccines on one day: say which, visibly. */}
                      {new Set(days.map((x) => x.day)).size < days.length && <span className="govuk-body-s"> – {d.product.name}</span>}
                      <span className="govuk-visually-hidden"> – {longDay(d.day)}, {d.product.name}</span>
                    </button>
                  )} />
                </div>
              </li>
            ))}
          </ol>
            </div>
            {portal.mapTiles && shown.length > 0 && <ClinicMap clinics={shownClinics} tiles={portal.mapTiles} attribution={portal.mapAttribution} />}
          </div>
          {answer.nextCursor && <button type="button" className="govuk-button govuk-button--secondary" disabled={busy} onClick={() => void run(answer.nextCursor)}>{t('search.more')}</button>}
        </section>
      )}
    </Page>
  );
}
