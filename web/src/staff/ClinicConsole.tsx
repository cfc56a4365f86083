import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { longDay, time } from '../format';
import { ErrorSummary, Page, TextField } from '../forms';
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
    const r = await staffApi<{ items: Line[] }>('POST', `/api/v1/staff/clinics/${clinicId}/check-in`, { confirmationCode: code });
    if (!r.ok) return setErrors([{ id: 'code', message: r.error.message }]);
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
        <button type="submit" className="govuk-button">{t('staff.clinic.checkInButton')}</button>
      </form>
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
  const [next, setNext] = useState<NextDose | null>(null);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi('POST', `/api/v1/staff/appointments/${line.appointmentId}/administration`, { lotNumber: lot, lotExpiry: expiry, site });
    if (!r.ok) return setErrors([{ id: r.error.field === 'lotExpiry' ? 'expiry' : r.error.field === 'site' ? 'site' : 'lot', message: r.error.message }]);
    setErrors([]);
    setGiven(true);
    const n = await staffApi<NextDose>('GET', `/api/v1/staff/clinics/${clinicId}/persons/${line.personId}/next-dose`);
    if (n.ok) setNext(n.body);
  };
  const bookNext = async () => {
    const r = await staffApi<{ confirmationCode: string }>('POST', `/api/v1/staff/clinics/${clinicId}/persons/${line.personId}/next-dose`, { slotId: next?.suggestion?.slotId });
    if (!r.ok) return setErrors([{ id: 'next', message: r.error.message }]);
    await onDone(t('staff.clinic.nextBooked', { code: r.body.confirmationCode }));
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
      {given && next && (next.suggestion ? (
        <>
          <p className="govuk-body">{t('staff.clinic.next', { day: longDay(next.suggestion.day), time: time(next.suggestion.startsAt, tz) })}</p>
          <button type="button" className="govuk-button" onClick={() => void bookNext()}>{t('staff.clinic.bookNext')}</button>
        </>
      ) : <p className="govuk-body">{t('staff.clinic.noNext', { reason: next.reason ?? '' })}</p>)}
      {given && <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void onDone(t('staff.clinic.saved', { name: line.givenName }))}>{t('continue')}</button>}
    </section>
  );
}
