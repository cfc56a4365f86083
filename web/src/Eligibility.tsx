import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { DateField, ErrorSummary, isoDate, Page, TextField } from './forms';
import type { Eligibility as Answer, Person } from './types';

interface Region { code: string; name: string; nameFr: string | null }
interface Rollout { rules: null | { cohorts: Array<{ groups?: string[] }>; phases: Array<{ invitationOnly?: boolean }> } }

/** Step 1: who is booking, and may they book now? */
export function EligibilityStep({ person, onEligible, onNotYet }: {
  person: Person | null; onEligible: (p: Person, e: Answer) => void; onNotYet: (p: Person, e: Answer) => void;
}) {
  const { t, i18n } = useTranslation();
  const parts = (day: string) => ({ y: day.slice(0, 4), m: String(Number(day.slice(5, 7))), d: String(Number(day.slice(8))) });
  const [dob, setDob] = useState(() => person ? parts(person.dateOfBirth) : { d: '', m: '', y: '' });
  const [others, setOthers] = useState(() => (person?.dependents ?? []).map(parts));
  const [place, setPlace] = useState(person?.place ?? '');
  const [region, setRegion] = useState(person && !person.place ? person.regionCode : '');
  const [groups, setGroups] = useState<string[]>(person?.groups ?? []);
  // Letters, e-mails and SMS link to /?invitation=CODE: the code is filled in.
  const [code, setCode] = useState(person?.invitationCode ?? new URLSearchParams(location.search).get('invitation') ?? '');
  const [regions, setRegions] = useState<Region[]>([]);
  const [rollout, setRollout] = useState<Rollout['rules']>(null);
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api<{ items: Region[] }>('GET', '/api/v1/regions').then((r) => r.ok && setRegions(r.body.items));
    void api<Rollout>('GET', '/api/v1/rollout').then((r) => r.ok && setRollout(r.body.rules));
  }, []);
  // Only the groups the roll-out uses, and the invitation field only when a phase needs one.
  const usedGroups = [...new Set((rollout?.cohorts ?? []).flatMap((c) => c.groups ?? []))];
  const invitations = (rollout?.phases ?? []).some((p) => p.invitationOnly);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const day = isoDate(dob);
    const days = others.map(isoDate);
    const found = [
      ...(day ? [] : [{ id: 'dob', message: t('elig.dobMissing') }]),
      ...days.flatMap((d, i) => (d ? [] : [{ id: `dob-${i + 2}`, message: t('elig.dobMissing') }])),
      ...(region || place.trim() ? [] : [{ id: 'place', message: t('elig.regionMissing') }]),
    ];
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    // A region chosen from the list wins; else the API works the region out from the postal code or town.
    const p: Person = { dateOfBirth: day!, dependents: days as string[], regionCode: region, groups, invitationCode: code.trim(), place: region ? '' : place.trim() };
    // Everyone booked together must be able to book: the first "not yet" is the answer.
    for (const [i, who] of [p.dateOfBirth, ...p.dependents].entries()) {
      const r = await api<Answer>('POST', '/api/v1/eligibility', { dateOfBirth: who, groups: i === 0 ? groups : [],
        ...(p.regionCode ? { regionCode: p.regionCode } : { place: p.place }), ...(p.invitationCode ? { invitationCode: p.invitationCode } : {}) });
      if (!r.ok) {
        setBusy(false);
        const f = r.error.field;
        return setErrors([{ id: f === 'invitationCode' ? 'invitation' : f === 'dateOfBirth' ? (i ? `dob-${i + 1}` : 'dob') : f === 'regionCode' ? 'region' : 'place', message: r.error.message }]);
      }
      p.regionCode = r.body.regionCode ?? p.regionCode;
      const mine = (r.body.ways ?? []).flatMap((w) => (w.cohort ? [w.cohort.id] : []));
      p.cohorts = i === 0 ? mine : (p.cohorts ?? []).filter((c) => mine.includes(c));
      if (!r.body.eligible) { setBusy(false); return onNotYet(p, r.body); }
      if (i === p.dependents.length) { setBusy(false); return onEligible(p, r.body); }
    }
  };

  return (
    <Page title={t('elig.title')}>
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <DateField id="dob" legend={t('elig.dob')} hint={t('elig.dobHint')} value={dob} onChange={setDob} error={errors.find((x) => x.id === 'dob')?.message} />
        {others.map((o, i) => (
          <div key={i}>
            <DateField id={`dob-${i + 2}`} legend={t('elig.otherDob', { n: i + 2 })} value={o} onChange={(v) => setOthers(others.map((x, j) => (j === i ? v : x)))}
              error={errors.find((x) => x.id === `dob-${i + 2}`)?.message} />
            <button type="button" className="govuk-button govuk-button--secondary" onClick={() => setOthers(others.filter((_, j) => j !== i))}>{t('elig.remove', { n: i + 2 })}</button>
          </div>
        ))}
        {others.length < 5 && <p className="govuk-body"><button type="button" className="govuk-button govuk-button--secondary" onClick={() => setOthers([...others, { d: '', m: '', y: '' }])}>{t('elig.addPerson')}</button></p>}
        <TextField id="place" label={t('elig.region')} hint={t('elig.regionHint')} value={place} onChange={setPlace} width={20} labelSize="m"
          error={errors.find((x) => x.id === 'place')?.message} autoComplete="postal-code" />
        <details className="govuk-details" open={!!region || errors.some((x) => x.id === 'region')}>
          <summary className="govuk-details__summary"><span className="govuk-details__summary-text">{t('elig.regionList')}</span></summary>
          <div className="govuk-details__text">
            <div className={`govuk-form-group${errors.some((x) => x.id === 'region') ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label" htmlFor="region">{t('elig.regionSelect')}</label>
              {errors.find((x) => x.id === 'region') && <p id="region-error" className="govuk-error-message">{errors.find((x) => x.id === 'region')!.message}</p>}
              <select className="govuk-select" id="region" value={region} onChange={(e) => setRegion(e.target.value)}>
                <option value="">{t('elig.chooseRegion')}</option>
                {regions.map((r) => <option key={r.code} value={r.code}>{i18n.language === 'fr' && r.nameFr ? r.nameFr : r.name}</option>)}
              </select>
            </div>
          </div>
        </details>
        {usedGroups.length > 0 && (
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset" aria-describedby="groups-hint">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('elig.groups')}</legend>
              <div id="groups-hint" className="govuk-hint">{t('elig.groupsHint')}</div>
              <div className="govuk-checkboxes govuk-checkboxes--small">
                {usedGroups.map((g) => (
                  <div className="govuk-checkboxes__item" key={g}>
                    <input className="govuk-checkboxes__input" id={`group-${g}`} type="checkbox" checked={groups.includes(g)}
                      onChange={(e) => setGroups(e.target.checked ? [...groups, g] : groups.filter((x) => x !== g))} />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor={`group-${g}`}>{t(`groups.${g}`)}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
        )}
        {invitations && <TextField id="invitation" label={t('elig.invitation')} hint={t('elig.invitationHint')} value={code} onChange={setCode} width={10}
          error={errors.find((x) => x.id === 'invitation')?.message} />}
        <button type="submit" className="govuk-button" disabled={busy}>{t('continue')}</button>
      </form>
    </Page>
  );
}
