import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, TextField } from '../forms';
import { staffApi } from './staff-api';

interface Batch { id: number; region: string; cohort: string; size: number; redeemed: number; expiresAt: string; status: string }
interface Rollout { version: number; rules: unknown }
interface Account { id: number; email: string; displayName: string; role: string; regionIds: number[]; clinicIds: number[]; disabled: boolean }
interface AuditEntry { id: string; at: string; staffEmail: string | null; role: string | null; action: string; outcome: string; personId: string | null; bookingCode: string | null; reason: string | null; ip: string | null }

/** Administrators only: the roll-out rules (versioned), invitation batches, and the audit log. */
export function JurisdictionPanels({ name, clinics }: { name: string; clinics: Array<{ id: number; name: string }> }) {
  const { t } = useTranslation();
  const [rollout, setRollout] = useState<Rollout | null>(null);
  const [text, setText] = useState('');
  const [batches, setBatches] = useState<Batch[]>([]);
  const [batch, setBatch] = useState({ region: '', cohort: '', size: '100', expires: '' });
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [regions, setRegions] = useState<Array<{ id: number; code: string; name: string }>>([]);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [account, setAccount] = useState({ email: '', displayName: '', role: 'agent', password: '', regionId: '', clinicId: '' });
  const [region, setRegion] = useState({ code: '', name: '', nameFr: '', latitude: '', longitude: '' });
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState('');
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const load = async () => {
    const [r, b] = await Promise.all([staffApi<Rollout>('GET', '/api/v1/rollout'), staffApi<{ items: Batch[] }>('GET', '/api/v1/admin/invitation-batches')]);
    if (r.ok) { setRollout(r.body); setText(JSON.stringify(r.body.rules, null, 2)); }
    if (b.ok) setBatches(b.body.items);
    const g = await staffApi<{ items: Array<{ id: number; code: string; name: string }> }>('GET', '/api/v1/regions');
    if (g.ok) setRegions(g.body.items);
    const a = await staffApi<{ items: Account[] }>('GET', '/api/v1/staff/accounts');
    if (a.ok) setAccounts(a.body.items);
  };
  /** A known code corrects that region; a new one creates it. */
  const saveRegion = async (e: React.FormEvent) => {
    e.preventDefault();
    const known = regions.some((x) => x.code === region.code.trim());
    const fields = { ...(region.name.trim() ? { name: region.name.trim() } : {}), ...(region.nameFr.trim() ? { nameFr: region.nameFr.trim() } : {}),
      ...(region.latitude ? { latitude: Number(region.latitude) } : {}), ...(region.longitude ? { longitude: Number(region.longitude) } : {}) };
    const r = known ? await staffApi('PATCH', `/api/v1/staff/regions/${encodeURIComponent(region.code.trim())}`, fields)
      : await staffApi('POST', '/api/v1/staff/regions', { code: region.code.trim(), ...fields });
    if (!r.ok) return fail(`region-${r.error.field === 'code' ? 'code' : r.error.field ?? 'name'}`, r.error.message);
    setErrors([]); setNotice(t('staff.jur.regionSaved', { code: region.code.trim() })); setRegion({ code: '', name: '', nameFr: '', latitude: '', longitude: '' }); await load();
  };
  useEffect(() => { void load(); }, []);
  const fail = (id: string, message: string, field?: string) => setErrors([{ id, message: field ? `${field}: ${message}` : message }]);
  const parse = (): unknown => { try { return JSON.parse(text); } catch { fail('rules', t('staff.jur.notJson')); return undefined; } };
  const validate = async () => {
    const rules = parse();
    if (rules === undefined) return;
    const r = await staffApi('POST', '/api/v1/admin/rollout/validate', { rules });
    if (!r.ok) return fail('rules', r.error.message, r.error.field);
    setErrors([]); setNotice(t('staff.jur.valid'));
  };
  const save = async () => {
    const rules = parse();
    if (rules === undefined || !rollout) return;
    const r = await staffApi<Rollout>('PUT', '/api/v1/admin/rollout', { rules, basedOn: rollout.version, changedBy: name });
    if (!r.ok) return fail('rules', r.error.message, r.error.field);
    setErrors([]); setNotice(t('staff.jur.saved', { version: r.body.version })); await load();
  };
  const createBatch = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi('POST', '/api/v1/admin/invitation-batches', { region: batch.region, cohort: batch.cohort, size: Number(batch.size),
      expiresAt: batch.expires ? new Date(`${batch.expires}T23:59:00`).toISOString() : '', createdBy: name });
    if (!r.ok) return fail(r.error.field === 'cohort' ? 'batch-cohort' : r.error.field === 'size' ? 'batch-size' : r.error.field === 'expiresAt' ? 'batch-expires' : 'batch-region', r.error.message);
    setErrors([]); await load();
  };
  const createAccount = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi('POST', '/api/v1/staff/accounts', { email: account.email, displayName: account.displayName, role: account.role, password: account.password,
      ...(account.role === 'region_manager' && account.regionId ? { regionIds: [Number(account.regionId)] } : {}),
      ...(['clinic_manager', 'vaccinator', 'reception'].includes(account.role) && account.clinicId ? { clinicIds: [Number(account.clinicId)] } : {}) });
    if (!r.ok) return fail(`account-${r.error.field === 'regionIds' ? 'regionId' : r.error.field === 'clinicIds' ? 'clinicId' : r.error.field ?? 'email'}`, r.error.message);
    setErrors([]); setNotice(t('staff.jur.accountSaved', { email: account.email })); setAccount({ ...account, email: '', displayName: '', password: '' }); await load();
  };
  const disable = async (a: Account) => {
    const r = await staffApi('POST', `/api/v1/staff/accounts/${a.id}/disable`);
    if (!r.ok) return fail('account-email', r.error.message);
    await load();
  };
  const searchAudit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    const q = filter.trim();
    const r = await staffApi<{ items: AuditEntry[] }>('GET', `/api/v1/staff/audit?limit=200${q ? (/^[0-9]+$/.test(q) ? `&personId=${q}` : /-/.test(q) ? `&bookingCode=${encodeURIComponent(q.toUpperCase())}` : `&action=${encodeURIComponent(q)}`) : ''}`);
    if (r.ok) setAudit(r.body.items);
  };
  return (
    <section aria-labelledby="jurisdiction">
      <h2 className="govuk-heading-l" id="jurisdiction">{t('staff.jur.title')}</h2>
      <ErrorSummary errors={errors} />
      {notice && <p className="govuk-body" role="status">{notice}</p>}
      <div className="govuk-form-group">
        <label className="govuk-label govuk-label--m" htmlFor="rules">{t('staff.jur.rollout', { version: rollout?.version ?? 0 })}</label>
        <div className="govuk-hint" id="rules-hint">{t('staff.jur.rolloutHint')}</div>
        <textarea className="govuk-textarea vb-code-area" id="rules" rows={12} aria-describedby="rules-hint" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </div>
      <div className="govuk-button-group">
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void validate()}>{t('staff.jur.validate')}</button>
        <button type="button" className="govuk-button" onClick={() => void save()}>{t('staff.jur.save')}</button>
      </div>
      <form onSubmit={createBatch} noValidate>
        <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('staff.jur.batches')}</legend>
          <TextField id="batch-region" label={t('staff.jur.region')} value={batch.region} onChange={(v) => setBatch({ ...batch, region: v })} width={10} error={errors.find((x) => x.id === 'batch-region')?.message} />
          <TextField id="batch-cohort" label={t('staff.jur.cohort')} value={batch.cohort} onChange={(v) => setBatch({ ...batch, cohort: v })} width={20} error={errors.find((x) => x.id === 'batch-cohort')?.message} />
          <TextField id="batch-size" label={t('staff.jur.size')} value={batch.size} onChange={(v) => setBatch({ ...batch, size: v })} width={10} inputMode="numeric" error={errors.find((x) => x.id === 'batch-size')?.message} />
          <TextField id="batch-expires" label={t('staff.jur.expires')} type="date" value={batch.expires} onChange={(v) => setBatch({ ...batch, expires: v })} width={10} error={errors.find((x) => x.id === 'batch-expires')?.message} />
          <button type="submit" className="govuk-button govuk-button--secondary">{t('staff.jur.createBatch')}</button>
        </fieldset>
      </form>
      <ul className="govuk-list">
        {batches.map((b) => <li key={b.id}>#{b.id} {b.region} / {b.cohort}: {b.redeemed}/{b.size} ({b.status}) –{' '}
          <a className="govuk-link" href={`/api/v1/admin/invitation-batches/${b.id}/codes.csv`}>CSV</a>{' '}·{' '}
          <a className="govuk-link" href={`/api/v1/admin/invitation-batches/${b.id}/letters.pdf`}>PDF</a></li>)}
      </ul>
      <form onSubmit={saveRegion} noValidate>
        <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('staff.jur.regions', { count: regions.length })}</legend>
          <div className="govuk-hint">{t('staff.jur.regionsHint')}</div>
          {(['code', 'name', 'nameFr', 'latitude', 'longitude'] as const).map((k) => (
            <TextField key={k} id={`region-${k}`} label={t(`staff.jur.regionField.${k}`)} value={region[k]} onChange={(v) => setRegion({ ...region, [k]: v })}
              width={k === 'name' || k === 'nameFr' ? 30 : 10} error={errors.find((x) => x.id === `region-${k}`)?.message} />
          ))}
          <button type="submit" className="govuk-button govuk-button--secondary">{t('staff.jur.saveRegion')}</button>
        </fieldset>
      </form>
      <form onSubmit={createAccount} noValidate>
        <fieldset className="govuk-fieldset"><legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t('staff.jur.accounts', { count: accounts.length })}</legend>
          <ul className="govuk-list" data-testid="accounts">
            {accounts.map((a) => <li key={a.id}>{a.displayName} – {a.email} ({t(`staff.roles.${a.role}`)}){a.disabled ? ` – ${t('staff.jur.disabled')}` : <>{' '}
              <button type="button" className="govuk-link vb-link" onClick={() => void disable(a)}>{t('staff.jur.disable')}<span className="govuk-visually-hidden"> {a.email}</span></button></>}</li>)}
          </ul>
          <TextField id="account-email" label={t('staff.email')} type="email" value={account.email} onChange={(v) => setAccount({ ...account, email: v })} width={30} error={errors.find((x) => x.id === 'account-email')?.message} />
          <TextField id="account-displayName" label={t('staff.panels.name')} value={account.displayName} onChange={(v) => setAccount({ ...account, displayName: v })} width={30} error={errors.find((x) => x.id === 'account-displayName')?.message} />
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="account-role">{t('staff.jur.role')}</label>
            <select className="govuk-select" id="account-role" value={account.role} onChange={(e) => setAccount({ ...account, role: e.target.value })}>
              {['administrator', 'region_manager', 'clinic_manager', 'vaccinator', 'reception', 'agent'].map((r) => <option key={r} value={r}>{t(`staff.roles.${r}`)}</option>)}
            </select>
          </div>
          {account.role === 'region_manager' && (
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="account-regionId">{t('staff.jur.region')}</label>
              {errors.find((x) => x.id === 'account-regionId') && <p className="govuk-error-message" id="account-regionId-error">{errors.find((x) => x.id === 'account-regionId')!.message}</p>}
              <select className="govuk-select" id="account-regionId" value={account.regionId} onChange={(e) => setAccount({ ...account, regionId: e.target.value })}>
                <option value="">–</option>{regions.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
              </select>
            </div>
          )}
          {['clinic_manager', 'vaccinator', 'reception'].includes(account.role) && (
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="account-clinicId">{t('staff.clinic.which')}</label>
              {errors.find((x) => x.id === 'account-clinicId') && <p className="govuk-error-message" id="account-clinicId-error">{errors.find((x) => x.id === 'account-clinicId')!.message}</p>}
              <select className="govuk-select" id="account-clinicId" value={account.clinicId} onChange={(e) => setAccount({ ...account, clinicId: e.target.value })}>
                <option value="">–</option>{clinics.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </div>
          )}
          <TextField id="account-password" label={t('staff.jur.password')} type="password" value={account.password} onChange={(v) => setAccount({ ...account, password: v })} width={20} autoComplete="new-password" error={errors.find((x) => x.id === 'account-password')?.message} />
          <button type="submit" className="govuk-button govuk-button--secondary">{t('staff.jur.createAccount')}</button>
        </fieldset>
      </form>
      <h3 className="govuk-heading-m">{t('staff.jur.audit')}</h3>
      <form onSubmit={(e) => void searchAudit(e)} noValidate>
        <TextField id="audit-filter" label={t('staff.jur.auditFilter')} value={filter} onChange={setFilter} width={20} />
        <button type="submit" className="govuk-button govuk-button--secondary">{t('staff.jur.auditSearch')}</button>
      </form>
      {audit.length > 0 && (
        <table className="govuk-table" data-testid="audit">
          <thead className="govuk-table__head"><tr className="govuk-table__row">
            {['when', 'who', 'what', 'record', 'why'].map((k) => <th scope="col" className="govuk-table__header" key={k}>{t(`staff.jur.col.${k}`)}</th>)}
          </tr></thead>
          <tbody className="govuk-table__body">
            {audit.map((a) => (
              <tr className="govuk-table__row" key={a.id}>
                <td className="govuk-table__cell">{new Date(a.at).toLocaleString()}</td><td className="govuk-table__cell">{a.staffEmail} ({a.role}) {a.ip}</td>
                <td className="govuk-table__cell">{a.action} – {a.outcome}</td><td className="govuk-table__cell">{[a.personId && `#${a.personId}`, a.bookingCode].filter(Boolean).join(' ')}</td>
                <td className="govuk-table__cell">{a.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
