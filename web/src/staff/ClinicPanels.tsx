import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, TextField } from '../forms';
import { staffApi, type ClinicInfo } from './staff-api';

interface Supply { product: string; productName: string; doses: number | null; booked: number; short: boolean }

/** A clinic's vaccine supply against the appointments to come, with a warning when they run ahead of it. */
export function SupplyPanel({ clinicId }: { clinicId: number }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Supply[]>([]);
  const [product, setProduct] = useState('');
  const [doses, setDoses] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    void staffApi<{ items: Supply[] }>('GET', `/api/v1/staff/clinics/${clinicId}/supply`).then((r) => r.ok && (setItems(r.body.items), setProduct(r.body.items[0]?.product ?? '')));
  }, [clinicId]);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi<{ items: Supply[] }>('PUT', `/api/v1/staff/clinics/${clinicId}/supply`, { product, doses: Number(doses) });
    if (!r.ok) return setError(r.error.message);
    setError('');
    setItems(r.body.items);
  };
  return (
    <section aria-labelledby="supply">
      <h2 className="govuk-heading-m" id="supply">{t('staff.panels.supply')}</h2>
      <ul className="govuk-list" data-testid="supply">
        {items.map((s) => <li key={s.product}>{s.productName}: {t('staff.panels.supplyLine', { doses: s.doses ?? '—', booked: s.booked })}
          {s.short && <strong className="govuk-tag govuk-tag--red">{t('staff.panels.short')}</strong>}</li>)}
      </ul>
      <form onSubmit={save} noValidate>
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="supply-product">{t('staff.admin.product')}</label>
          <select className="govuk-select" id="supply-product" value={product} onChange={(e) => setProduct(e.target.value)}>
            {items.map((s) => <option key={s.product} value={s.product}>{s.productName}</option>)}
          </select>
        </div>
        <TextField id="supply-doses" label={t('staff.panels.doses')} value={doses} onChange={setDoses} width={10} inputMode="numeric" error={error || undefined} />
        <button type="submit" className="govuk-button govuk-button--secondary">{t('staff.panels.setSupply')}</button>
      </form>
    </section>
  );
}

const EMPTY = { regionCode: '', code: '', name: '', kind: 'mass_site', street: '', city: '', postalCode: '', latitude: '', longitude: '', phone: '' };

/** Clinics, for administrators and region managers: create one, correct one, close one. */
export function ClinicsPanel({ clinics, reload }: { clinics: ClinicInfo[]; reload: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<number | null>(null);
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [notice, setNotice] = useState('');
  const set = (k: keyof typeof EMPTY) => (v: string) => setForm({ ...form, [k]: v });
  const fail = (message: string, field?: string) => setErrors([{ id: `clinic-${field === 'postalCode' ? 'postalCode' : field ?? 'name'}`, message }]);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const body = { name: form.name, kind: form.kind, street: form.street, city: form.city, postalCode: form.postalCode,
      latitude: Number(form.latitude), longitude: Number(form.longitude), ...(form.phone.trim() ? { phone: form.phone.trim() } : {}) };
    const r = editing ? await staffApi('PATCH', `/api/v1/staff/clinics/${editing}`, body)
      : await staffApi('POST', '/api/v1/staff/clinics', { ...body, regionCode: form.regionCode, code: form.code });
    if (!r.ok) return fail(r.error.message, r.error.field);
    setErrors([]); setNotice(t('staff.panels.saved', { name: form.name })); setForm(EMPTY); setEditing(null); reload();
  };
  const close = async (c: ClinicInfo) => {
    const r = await staffApi('POST', `/api/v1/staff/clinics/${c.id}/close`);
    if (!r.ok) return fail(r.error.message);
    setErrors([]); setNotice(t('staff.panels.closed', { name: c.name })); reload();
  };
  const edit = (c: ClinicInfo) => {
    setEditing(c.id);
    setForm({ ...EMPTY, regionCode: c.regionCode, code: c.code, name: c.name, street: c.address.street, city: c.address.city, postalCode: c.address.postalCode,
      latitude: String(c.latitude), longitude: String(c.longitude) });
  };
  const field = (k: keyof typeof EMPTY, label: string, width: 10 | 20 | 30 = 20) => (
    <TextField id={`clinic-${k}`} label={label} value={form[k]} onChange={set(k)} width={width} error={errors.find((x) => x.id === `clinic-${k}`)?.message} />);
  return (
    <section aria-labelledby="clinics">
      <h2 className="govuk-heading-m" id="clinics">{t('staff.panels.clinics')}</h2>
      <ErrorSummary errors={errors} />
      {notice && <p className="govuk-body" role="status">{notice}</p>}
      <details className="govuk-details">
        <summary className="govuk-details__summary"><span className="govuk-details__summary-text">{t('staff.panels.list', { count: clinics.length })}</span></summary>
        <div className="govuk-details__text">
          <ul className="govuk-list">
            {clinics.map((c) => <li key={c.id}>{c.name} ({c.code}, {c.regionCode}){' '}
              <button type="button" className="govuk-link vb-link" onClick={() => edit(c)}>{t('staff.panels.edit')}<span className="govuk-visually-hidden"> {c.name}</span></button>{' · '}
              <button type="button" className="govuk-link vb-link" onClick={() => void close(c)}>{t('staff.panels.close')}<span className="govuk-visually-hidden"> {c.name}</span></button></li>)}
          </ul>
        </div>
      </details>
      <form onSubmit={save} noValidate>
        <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{editing ? t('staff.panels.editing', { name: form.name }) : t('staff.panels.create')}</legend>
          {!editing && field('regionCode', t('staff.jur.region'), 10)}
          {!editing && field('code', t('staff.panels.code'), 10)}
          {field('name', t('staff.panels.name'), 30)}
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="clinic-kind">{t('staff.panels.kind')}</label>
            <select className="govuk-select" id="clinic-kind" value={form.kind} onChange={(e) => set('kind')(e.target.value)}>
              {['mass_site', 'pharmacy', 'hospital', 'primary_care', 'mobile'].map((k) => <option key={k} value={k}>{t(`staff.panels.kinds.${k}`)}</option>)}
            </select>
          </div>
          {field('street', t('staff.panels.street'), 30)}{field('city', t('staff.panels.city'))}{field('postalCode', t('staff.panels.postalCode'), 10)}
          {field('latitude', t('staff.panels.latitude'), 10)}{field('longitude', t('staff.panels.longitude'), 10)}{field('phone', t('staff.panels.phone'))}
          <button type="submit" className="govuk-button govuk-button--secondary">{editing ? t('staff.panels.saveChanges') : t('staff.panels.create')}</button>
        </fieldset>
      </form>
    </section>
  );
}
