import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { longDay, time } from '../format';
import { DateField, ErrorSummary, isoDate, Page, TextField } from '../forms';
import { staffApi, type StaffSession } from './staff-api';
import { ClinicPicker, Notice, useMyClinics } from './clinic-choice';

interface Line {
  appointmentId: string; confirmationCode: string; personId: string; givenName: string; familyName: string; dose: number; product: string; productName: string;
  startsAt: string; status: string; needsIdentityVerification: boolean;
}
interface NextDose { dose: number; reason: string | null; suggestion: { day: string; slotId: number; startsAt: string } | null }
interface Summary { booked: number; checkedIn: number; administered: number; noShows: number; walkIns: number; doses: Array<{ product: string; lot: string | null; doses: number }> }
const SITES = ['left_deltoid', 'right_deltoid', 'left_thigh', 'right_thigh'];

/** The clinic console: today's roster, check-in, the dose given, the next dose at check-out, and the end of the day. */
export default function ClinicConsole({ session }: { session: StaffSession }) {
  const { t } = useTranslation();
  const { clinics, clinicId, setClinicId, clinic } = useMyClinics(session);
  const [lines, setLines] = useState<Line[]>([]);
  const [day, setDay] = useState('');
  const [q, setQ] = useState('');
  const [code, setCode] = useState('');
  const [who, setWho] = useState({ identifier: '', givenName: '', familyName: '' });
  const [whoDob, setWhoDob] = useState({ d: '', m: '', y: '' });
  const [walkIn, setWalkIn] = useState(false);
  const [open, setOpen] = useState<Line | null>(null);
  const [notice, setNotice] = useState('');
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [summary, setSummary] = useState<Summary | null>(null);
  const load = useCallback(async () => {
    if (!clinicId) return;
    const r = await staffApi<{ day: string; items: Line[] }>('GET', `/api/v1/staff/clinics/${clinicId}/roster${q.trim() ? `?q=${encodeURIComponent(q.trim())}` : ''}`);
    if (r.ok) { setLines(r.body.items); setDay(r.body.day); }
  }, [clinicId, q]);
  useEffect(() => { void load(); }, [load]);

  const checkIn = async (e: React.FormEvent) => {
    e.preventDefault();
    // By the code (typed, or read from the confirmation's QR by a scanner into the field); else by card number or names, with the date of birth.
    const dob = isoDate(whoDob);
    const by = code.trim() ? { confirmationCode: code } : {
      ...(who.identifier.trim() ? { identifier: who.identifier } : { givenName: who.givenName, familyName: who.familyName }), ...(dob ? { dateOfBirth: dob } : {}) };
    const r = await staffApi<{ items: Line[] }>('POST', `/api/v1/staff/clinics/${clinicId}/check-in`, by);
    if (!r.ok) return setErrors([{ id: r.error.field === 'identifier' ? 'who-identifier' : 'code', message: r.error.message }]);
    setErrors([]);
    setCode('');
    setNotice('');
    setOpen(r.body.items[0] ?? null);
    await load();
  };
  const noShows = async () => {
    const r = await staffApi<{ marked: number }>('POST', `/api/v1/staff/clinics/${clinicId}/no-shows`, {});
    if (r.ok) setNotice(t('staff.clinic.marked', { count: r.body.marked }));
    await load();
    await loadSummary();
  };
  const loadSummary = async () => {
    const r = await staffApi<Summary>('GET', `/api/v1/staff/clinics/${clinicId}/summary`);
    if (r.ok) setSummary(r.body);
  };
  if (!clinic) return null;
  const tz = clinic.timeZone;
  return (
    <Page title={t('staff.clinic.title', { clinic: clinic.name })}>
      <ErrorSummary errors={errors} />
      <Notice text={notice} />
      <ClinicPicker clinics={clinics} clinicId={clinicId} onChange={setClinicId} />
      <form onSubmit={checkIn} noValidate>
        <TextField id="code" label={t('staff.clinic.checkIn')} value={code} onChange={setCode} width={20} error={errors.find((x) => x.id === 'code')?.message} />
        <details className="govuk-details">
          <summary className="govuk-details__summary"><span className="govuk-details__summary-text">{t('staff.clinic.byPerson')}</span></summary>
          <div className="govuk-details__text">
            <TextField id="who-identifier" label={t('staff.find.identifier')} value={who.identifier} onChange={(v) => setWho({ ...who, identifier: v })} width={20} error={errors.find((x) => x.id === 'who-identifier')?.message} />
            <TextField id="who-given" label={t('staff.find.given')} value={who.givenName} onChange={(v) => setWho({ ...who, givenName: v })} width={20} />
            <TextField id="who-family" label={t('staff.find.family')} value={who.familyName} onChange={(v) => setWho({ ...who, familyName: v })} width={20} />
            <DateField id="who-dob" legend={t('elig.dob')} value={whoDob} onChange={setWhoDob} />
          </div>
        </details>
        <button type="submit" className="govuk-button">{t('staff.clinic.checkInButton')}</button>
      </form>
      <p className="govuk-body"><button type="button" className="govuk-link vb-link" onClick={() => setWalkIn(!walkIn)}>{t('staff.clinic.walkIn')}</button></p>
      {walkIn && <WalkIn clinicId={clinic.id} tz={tz} onDone={async (msg) => { setNotice(msg); setWalkIn(false); await loadSummary(); }} />}
      {open && <Administer line={open} clinicId={clinic.id} tz={tz} onDone={async (msg) => { setNotice(msg); setOpen(null); await load(); }} />}
      <h2 className="govuk-heading-m">{t('staff.clinic.roster', { count: lines.length })} – {day && longDay(day)}</h2>
      <TextField id="filter" label={t('staff.clinic.filter')} value={q} onChange={setQ} width={20} />
      <table className="govuk-table">
        <thead className="govuk-table__head"><tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">{t('staff.clinic.time')}</th><th scope="col" className="govuk-table__header">{t('staff.clinic.person')}</th>
          <th scope="col" className="govuk-table__header">{t('staff.clinic.dose')}</th><th scope="col" className="govuk-table__header">{t('staff.clinic.status')}</th>
          <th scope="col" className="govuk-table__header">{t('staff.clinic.action')}</th>
        </tr></thead>
        <tbody className="govuk-table__body">
          {lines.map((l) => (
            <tr className="govuk-table__row" key={l.appointmentId}>
              <td className="govuk-table__cell">{time(l.startsAt, tz)}</td>
              <td className="govuk-table__cell">{l.familyName}, {l.givenName} <span className="govuk-body-s">({l.confirmationCode})</span></td>
              <td className="govuk-table__cell">{l.dose} – {l.productName}</td>
              <td className="govuk-table__cell"><strong className="govuk-tag">{t(`staff.clinic.statuses.${l.status}`)}</strong></td>
              <td className="govuk-table__cell">{['booked', 'checked_in'].includes(l.status) && (
                <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={() => setOpen(l)}>
                  {t('staff.clinic.record')}<span className="govuk-visually-hidden"> – {l.givenName} {l.familyName}</span></button>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="govuk-heading-m">{t('staff.clinic.endOfDay')}</h2>
      <div className="govuk-button-group">
        <button type="button" className="govuk-button govuk-button--warning" onClick={() => void noShows()}>{t('staff.clinic.noShows')}</button>
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void loadSummary()}>{t('staff.clinic.summary')}</button>
      </div>
      {summary && (
        <dl className="govuk-summary-list" data-testid="day-summary">
          {(['booked', 'checkedIn', 'administered', 'noShows', 'walkIns'] as const).map((k) => (
            <div className="govuk-summary-list__row" key={k}><dt className="govuk-summary-list__key">{t(`staff.clinic.${k === 'administered' ? 'given' : k === 'noShows' ? 'missed' : k}`)}</dt><dd className="govuk-summary-list__value">{summary[k]}</dd></div>
          ))}
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">{t('staff.clinic.perLot')}</dt>
            <dd className="govuk-summary-list__value">{summary.doses.map((d) => `${d.product} ${d.lot ?? ''}: ${d.doses}`).join('; ')}</dd></div>
        </dl>
      )}
    </Page>
  );
}

/** The dose given (lot, expiry, site), then the next dose at check-out: suggested, booked with a second click. */
function Administer({ line, clinicId, tz, onDone }: { line: Line; clinicId: number; tz: string; onDone: (msg: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [lot, setLot] = useState('');
  const [expiry, setExpiry] = useState('');
  const [site, setSite] = useState('left_deltoid');
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [given, setGiven] = useState(false);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi('POST', `/api/v1/staff/appointments/${line.appointmentId}/administration`, { lotNumber: lot, lotExpiry: expiry, site });
    if (!r.ok) return setErrors([{ id: r.error.field === 'lotExpiry' ? 'expiry' : r.error.field === 'site' ? 'site' : 'lot', message: r.error.message }]);
    setErrors([]);
    setGiven(true);
  };
  return (
    <section className="govuk-!-margin-bottom-6" aria-labelledby="administer">
      <h2 className="govuk-heading-m" id="administer">{t('staff.clinic.record')}: {line.givenName} {line.familyName}, {t('staff.record.dose', { dose: line.dose })} – {line.productName}</h2>
      <ErrorSummary errors={errors} />
      {!given && (
        <form onSubmit={save} noValidate>
          <TextField id="lot" label={t('staff.clinic.lot')} value={lot} onChange={setLot} width={10} error={errors.find((x) => x.id === 'lot')?.message} />
          <TextField id="expiry" label={t('staff.clinic.expiry')} type="date" value={expiry} onChange={setExpiry} width={10} error={errors.find((x) => x.id === 'expiry')?.message} />
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="site">{t('staff.clinic.site')}</label>
            <select className="govuk-select" id="site" value={site} onChange={(e) => setSite(e.target.value)}>
              {SITES.map((s) => <option key={s} value={s}>{t(`staff.clinic.sites.${s}`)}</option>)}
            </select>
          </div>
          <button type="submit" className="govuk-button">{t('staff.clinic.save')}</button>
        </form>
      )}
      {given && <p className="govuk-body" role="status">{t('staff.clinic.saved', { name: line.givenName })}</p>}
      {given && <NextDoseOffer clinicId={clinicId} personId={line.personId} tz={tz} onBooked={onDone} />}
      {given && <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void onDone(t('staff.clinic.saved', { name: line.givenName }))}>{t('continue')}</button>}
    </section>
  );
}

/** The next dose at check-out: the suggestion at this clinic, booked with one click. */
function NextDoseOffer({ clinicId, personId, tz, onBooked }: { clinicId: number; personId: string; tz: string; onBooked: (msg: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [next, setNext] = useState<NextDose | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    void staffApi<NextDose>('GET', `/api/v1/staff/clinics/${clinicId}/persons/${personId}/next-dose`).then((n) => n.ok && setNext(n.body));
  }, [clinicId, personId]);
  const book = async () => {
    const r = await staffApi<{ confirmationCode: string }>('POST', `/api/v1/staff/clinics/${clinicId}/persons/${personId}/next-dose`, { slotId: next?.suggestion?.slotId });
    if (!r.ok) return setError(r.error.message);
    await onBooked(t('staff.clinic.nextBooked', { code: r.body.confirmationCode }));
  };
  if (!next) return null;
  if (!next.suggestion) return <p className="govuk-body">{t('staff.clinic.noNext', { reason: next.reason ?? '' })}</p>;
  return (
    <>
      {error && <p className="govuk-error-message" role="alert">{error}</p>}
      <p className="govuk-body">{t('staff.clinic.next', { day: longDay(next.suggestion.day), time: time(next.suggestion.startsAt, tz) })}</p>
      <button type="button" className="govuk-button" onClick={() => void book()}>{t('staff.clinic.bookNext')}</button>
    </>
  );
}

/** Someone who came without an appointment: registered, their dose recorded, their next dose offered. */
function WalkIn({ clinicId, tz, onDone }: { clinicId: number; tz: string; onDone: (msg: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [p, setP] = useState({ identifier: '', givenName: '', familyName: '', mobile: '', product: '', dose: '1', lot: '', expiry: '', site: 'left_deltoid' });
  const [dob, setDob] = useState({ d: '', m: '', y: '' });
  const [products, setProducts] = useState<Array<{ code: string; name: string }>>([]);
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [personId, setPersonId] = useState<string | null>(null);
  useEffect(() => {
    void staffApi<{ items: Array<{ code: string; name: string }> }>('GET', '/api/v1/products').then((r) => r.ok && (setProducts(r.body.items), setP((x) => ({ ...x, product: r.body.items[0]?.code ?? '' }))));
  }, []);
  const set = (k: keyof typeof p) => (v: string) => setP({ ...p, [k]: v });
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const day = isoDate(dob);
    if (!day) return setErrors([{ id: 'walk-dob', message: t('elig.dobMissing') }]);
    const r = await staffApi<{ personId: string }>('POST', `/api/v1/staff/clinics/${clinicId}/walk-ins`, {
      identifier: p.identifier, dateOfBirth: day, givenName: p.givenName, familyName: p.familyName, ...(p.mobile.trim() ? { mobile: p.mobile.trim() } : {}),
      doseNumber: Number(p.dose), administration: { product: p.product, lotNumber: p.lot, lotExpiry: p.expiry, site: p.site } });
    if (!r.ok) {
      const f = r.error.field ?? '';
      return setErrors([{ id: f.endsWith('lotExpiry') ? 'walk-expiry' : f.endsWith('lotNumber') ? 'walk-lot' : f === 'givenName' ? 'walk-given' : f === 'familyName' ? 'walk-family' : 'walk-identifier', message: r.error.message }]);
    }
    setErrors([]);
    setPersonId(r.body.personId);
  };
  const err = (id: string) => errors.find((x) => x.id === id)?.message;
  return (
    <section className="govuk-!-margin-bottom-6" aria-labelledby="walk-in">
      <h2 className="govuk-heading-m" id="walk-in">{t('staff.clinic.walkIn')}</h2>
      <ErrorSummary errors={errors} />
      {!personId ? (
        <form onSubmit={save} noValidate>
          <TextField id="walk-identifier" label={t('staff.find.identifier')} value={p.identifier} onChange={set('identifier')} width={20} error={err('walk-identifier')} />
          <DateField id="walk-dob" legend={t('elig.dob')} value={dob} onChange={setDob} error={err('walk-dob')} />
          <TextField id="walk-given" label={t('staff.find.given')} value={p.givenName} onChange={set('givenName')} width={20} error={err('walk-given')} />
          <TextField id="walk-family" label={t('staff.find.family')} value={p.familyName} onChange={set('familyName')} width={20} error={err('walk-family')} />
          <TextField id="walk-mobile" label={t('staff.newPerson.mobile')} type="tel" value={p.mobile} onChange={set('mobile')} width={20} />
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="walk-product">{t('staff.admin.product')}</label>
            <select className="govuk-select" id="walk-product" value={p.product} onChange={(e) => set('product')(e.target.value)}>
              {products.map((x) => <option key={x.code} value={x.code}>{x.name}</option>)}
            </select>
          </div>
          <TextField id="walk-dose" label={t('staff.clinic.dose')} value={p.dose} onChange={set('dose')} width={10} inputMode="numeric" />
          <TextField id="walk-lot" label={t('staff.clinic.lot')} value={p.lot} onChange={set('lot')} width={10} error={err('walk-lot')} />
          <TextField id="walk-expiry" label={t('staff.clinic.expiry')} type="date" value={p.expiry} onChange={set('expiry')} width={10} error={err('walk-expiry')} />
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="walk-site">{t('staff.clinic.site')}</label>
            <select className="govuk-select" id="walk-site" value={p.site} onChange={(e) => set('site')(e.target.value)}>
              {SITES.map((x) => <option key={x} value={x}>{t(`staff.clinic.sites.${x}`)}</option>)}
            </select>
          </div>
          <button type="submit" className="govuk-button">{t('staff.clinic.save')}</button>
        </form>
      ) : (
        <>
          <p className="govuk-body" role="status">{t('staff.clinic.saved', { name: p.givenName })}</p>
          <NextDoseOffer clinicId={clinicId} personId={personId} tz={tz} onBooked={onDone} />
          <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void onDone(t('staff.clinic.saved', { name: p.givenName }))}>{t('continue')}</button>
        </>
      )}
    </section>
  );
}
