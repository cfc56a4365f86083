import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dayIn, longDay, shortDay, time } from '../format';
import { ErrorSummary, Page, TextField } from '../forms';
import { staffApi, type StaffSession } from './staff-api';
import { ClinicPicker, Notice, useMyClinics } from './clinic-choice';
import { JurisdictionPanels } from './JurisdictionPanels';
import { MessagesPanel } from './MessagesPanel';
import { ClinicsPanel, SupplyPanel } from './ClinicPanels';

interface Session { id: number; day: string; start: string; end: string; product: string; stations: number; capacity: number; booked: number; published: boolean; cancelled: boolean }
interface Affected { confirmationCode: string; dose: number; people: string[]; outcome: string; replacement: { startsAt: string; clinicName: string } | null }

const today = () => new Date().toISOString().slice(0, 10);
const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The administration console: plan sessions, copy a week, publish when staffed and stocked, cancel a day and see who was moved. */
export default function AdminConsole({ session }: { session: StaffSession }) {
  const { t } = useTranslation();
  const { clinics, clinicId, setClinicId, clinic, reload: reloadClinics } = useMyClinics(session);
  const [from, setFrom] = useState(today());
  const [sessions, setSessions] = useState<Session[]>([]);
  const [products, setProducts] = useState<Array<{ code: string; name: string }>>([]);
  const [form, setForm] = useState({ day: plusDays(today(), 1), start: '08:00', end: '16:00', product: '', stations: '4', minutes: '10' });
  const [copy, setCopy] = useState({ fromWeek: today(), toWeek: plusDays(today(), 7) });
  const [pub, setPub] = useState({ from: today(), to: plusDays(today(), 6) });
  const [cancel, setCancel] = useState({ day: today(), reason: '', rebook: 'auto' });
  const [affected, setAffected] = useState<Affected[] | null>(null);
  const [notice, setNotice] = useState('');
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  useEffect(() => {
    void staffApi<{ items: Array<{ code: string; name: string }> }>('GET', '/api/v1/products').then((r) => r.ok && (setProducts(r.body.items), setForm((f) => ({ ...f, product: r.body.items[0]?.code ?? '' }))));
  }, [session]);
  const load = useCallback(async () => {
    if (!clinicId) return;
    const r = await staffApi<{ items: Session[] }>('GET', `/api/v1/staff/clinics/${clinicId}/sessions?from=${from}&to=${plusDays(from, 20)}`);
    if (r.ok) setSessions(r.body.items);
  }, [clinicId, from]);
  useEffect(() => { void load(); }, [load]);
  if (!clinic) return null;

  const act = async (id: string, f: () => Promise<{ ok: boolean; message?: string; field?: string }>) => {
    const r = await f();
    if (!r.ok) { setErrors([{ id: r.field ?? id, message: r.message ?? '' }]); return; }
    setErrors([]);
    await load();
  };
  const field = (prefix: string, f?: string) => (f ? `${prefix}-${f}` : prefix);
  const addSession = (e: React.FormEvent) => { e.preventDefault(); void act('add-day', async () => {
    const r = await staffApi<{ slots: number; capacity: number }>('POST', `/api/v1/staff/clinics/${clinic.id}/sessions`, {
      day: form.day, start: form.start, end: form.end, product: form.product, stations: Number(form.stations), minutesPerAppointment: Number(form.minutes) });
    if (r.ok) setNotice(t('staff.admin.created', { slots: r.body.slots, capacity: r.body.capacity }));
    return r.ok ? { ok: true } : { ok: false, message: r.error.message, field: field('add', r.error.field === 'minutesPerAppointment' ? 'minutes' : r.error.field) };
  }); };
  const copyWeek = (e: React.FormEvent) => { e.preventDefault(); void act('copy-fromWeek', async () => {
    const r = await staffApi<{ sessions: number }>('POST', `/api/v1/staff/clinics/${clinic.id}/sessions/copy-week`, copy);
    if (r.ok) setNotice(t('staff.admin.copied', { sessions: r.body.sessions }));
    return r.ok ? { ok: true } : { ok: false, message: r.error.message, field: field('copy', r.error.field) };
  }); };
  const publish = (on: boolean) => void act('pub-from', async () => {
    const r = await staffApi<{ changed: string[] }>('POST', `/api/v1/staff/clinics/${clinic.id}/days/${on ? 'publish' : 'unpublish'}`, pub);
    if (r.ok) setNotice(t(on ? 'staff.admin.published' : 'staff.admin.unpublished', { days: r.body.changed.map(shortDay).join(', ') || '—' }));
    return r.ok ? { ok: true } : { ok: false, message: r.error.message, field: field('pub', r.error.field) };
  });
  const cancelDay = (e: React.FormEvent) => { e.preventDefault(); void act('cancel-reason', async () => {
    const r = await staffApi<{ affected: Affected[] }>('POST', `/api/v1/staff/clinics/${clinic.id}/days/cancel`, { from: cancel.day, reason: cancel.reason, rebook: cancel.rebook });
    if (r.ok) setAffected(r.body.affected);
    return r.ok ? { ok: true } : { ok: false, message: r.error.message, field: field('cancel', r.error.field === 'from' ? 'day' : r.error.field) };
  }); };
  const err = (id: string) => errors.find((x) => x.id === id)?.message;
  return (
    <Page title={t('staff.admin.title', { clinic: clinic.name })}>
      <ErrorSummary errors={errors} />
      <Notice text={notice} />
      <ClinicPicker clinics={clinics} clinicId={clinicId} onChange={setClinicId} />
      <h2 className="govuk-heading-m">{t('staff.admin.sessions', { from: longDay(from) })}</h2>
      <TextField id="from" label={t('staff.admin.from')} type="date" value={from} onChange={setFrom} width={10} />
      <table className="govuk-table" data-testid="sessions">
        <thead className="govuk-table__head"><tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">{t('staff.admin.day')}</th><th scope="col" className="govuk-table__header">{t('staff.clinic.time')}</th>
          <th scope="col" className="govuk-table__header">{t('staff.admin.product')}</th><th scope="col" className="govuk-table__header">{t('staff.clinic.status')}</th>
        </tr></thead>
        <tbody className="govuk-table__body">
          {sessions.map((s) => (
            <tr className="govuk-table__row" key={s.id}>
              <td className="govuk-table__cell">{shortDay(s.day)}</td><td className="govuk-table__cell">{s.start}–{s.end}</td>
              <td className="govuk-table__cell">{s.product} · {t('staff.admin.capacity', { booked: s.booked, capacity: s.capacity })}</td>
              <td className="govuk-table__cell"><strong className="govuk-tag">{s.cancelled ? t('staff.admin.isCancelled') : s.published ? t('staff.admin.isPublished') : t('staff.admin.notPublished')}</strong></td>
            </tr>
          ))}
        </tbody>
      </table>

      <form onSubmit={addSession} noValidate>
        <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('staff.admin.create')}</legend>
          <TextField id="add-day" label={t('staff.admin.day')} type="date" value={form.day} onChange={(v) => setForm({ ...form, day: v })} width={10} error={err('add-day')} />
          <TextField id="add-start" label={t('staff.admin.start')} value={form.start} onChange={(v) => setForm({ ...form, start: v })} width={10} error={err('add-start')} />
          <TextField id="add-end" label={t('staff.admin.end')} value={form.end} onChange={(v) => setForm({ ...form, end: v })} width={10} error={err('add-end')} />
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="add-product">{t('staff.admin.product')}</label>
            <select className="govuk-select" id="add-product" value={form.product} onChange={(e) => setForm({ ...form, product: e.target.value })}>
              {products.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
            </select>
          </div>
          <TextField id="add-stations" label={t('staff.admin.stations')} value={form.stations} onChange={(v) => setForm({ ...form, stations: v })} width={10} inputMode="numeric" error={err('add-stations')} />
          <TextField id="add-minutes" label={t('staff.admin.minutes')} value={form.minutes} onChange={(v) => setForm({ ...form, minutes: v })} width={10} inputMode="numeric" error={err('add-minutes')} />
          <button type="submit" className="govuk-button">{t('staff.admin.create')}</button>
        </fieldset>
      </form>

      <form onSubmit={copyWeek} noValidate>
        <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('staff.admin.copy')}</legend>
          <TextField id="copy-fromWeek" label={t('staff.admin.fromWeek')} type="date" value={copy.fromWeek} onChange={(v) => setCopy({ ...copy, fromWeek: v })} width={10} error={err('copy-fromWeek')} />
          <TextField id="copy-toWeek" label={t('staff.admin.toWeek')} type="date" value={copy.toWeek} onChange={(v) => setCopy({ ...copy, toWeek: v })} width={10} error={err('copy-toWeek')} />
          <button type="submit" className="govuk-button govuk-button--secondary">{t('staff.admin.copyButton')}</button>
        </fieldset>
      </form>

      <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('staff.admin.publish')}</legend>
        <TextField id="pub-from" label={t('staff.admin.from')} type="date" value={pub.from} onChange={(v) => setPub({ ...pub, from: v })} width={10} error={err('pub-from')} />
        <TextField id="pub-to" label={t('staff.admin.to')} type="date" value={pub.to} onChange={(v) => setPub({ ...pub, to: v })} width={10} error={err('pub-to')} />
        <div className="govuk-button-group">
          <button type="button" className="govuk-button" onClick={() => publish(true)}>{t('staff.admin.publish')}</button>
          <button type="button" className="govuk-button govuk-button--secondary" onClick={() => publish(false)}>{t('staff.admin.unpublish')}</button>
        </div>
      </fieldset>

      <form onSubmit={cancelDay} noValidate>
        <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('staff.admin.cancel')}</legend>
          <TextField id="cancel-day" label={t('staff.admin.day')} type="date" value={cancel.day} onChange={(v) => setCancel({ ...cancel, day: v })} width={10} error={err('cancel-day')} />
          <TextField id="cancel-reason" label={t('staff.admin.reason')} value={cancel.reason} onChange={(v) => setCancel({ ...cancel, reason: v })} width={30} error={err('cancel-reason')} />
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend">{t('staff.admin.rebook')}</legend>
              <div className="govuk-radios govuk-radios--small">
                {(['auto', 'offer'] as const).map((m) => (
                  <div className="govuk-radios__item" key={m}>
                    <input className="govuk-radios__input" id={`rebook-${m}`} type="radio" name="rebook" checked={cancel.rebook === m} onChange={() => setCancel({ ...cancel, rebook: m })} />
                    <label className="govuk-label govuk-radios__label" htmlFor={`rebook-${m}`}>{t(`staff.admin.${m}`)}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <button type="submit" className="govuk-button govuk-button--warning">{t('staff.admin.cancelButton')}</button>
        </fieldset>
      </form>
      {affected && (
        <>
          <h2 className="govuk-heading-m">{t('staff.admin.affected')} ({affected.length})</h2>
          <ul className="govuk-list" data-testid="affected">
            {affected.map((a) => (
              <li key={`${a.confirmationCode}-${a.dose}`}>{a.people.join(', ')} ({a.confirmationCode}, {t('staff.record.dose', { dose: a.dose })}): {t(`staff.admin.outcome.${a.outcome}`, {
                when: a.replacement ? `${longDay(dayIn(a.replacement.startsAt, clinic.timeZone))} ${time(a.replacement.startsAt, clinic.timeZone)}` : '', clinic: a.replacement?.clinicName ?? '' })}</li>
            ))}
          </ul>
        </>
      )}
      <SupplyPanel clinicId={clinic.id} />
      {['administrator', 'region_manager'].includes(session.staff.role) && <ClinicsPanel clinics={clinics} reload={reloadClinics} />}
      {session.staff.role === 'administrator' && <MessagesPanel />}
      {session.staff.role === 'region_manager' && <MessagesPanel region={clinic.regionCode} />}
      {session.staff.role === 'administrator' && <JurisdictionPanels name={session.staff.displayName} clinics={clinics} />}
    </Page>
  );
}
