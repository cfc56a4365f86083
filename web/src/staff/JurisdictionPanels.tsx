import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, TextField } from '../forms';
import { staffApi } from './staff-api';

interface Batch { id: number; region: string; cohort: string; size: number; redeemed: number; expiresAt: string; status: string }
interface Rollout { version: number; rules: unknown }
interface AuditEntry { id: string; at: string; staffEmail: string | null; role: string | null; action: string; outcome: string; personId: string | null; bookingCode: string | null; reason: string | null; ip: string | null }

/** Administrators only: the roll-out rules (versioned), invitation batches, and the audit log. */
export function JurisdictionPanels({ name }: { name: string }) {
  const { t } = useTranslation();
  const [rollout, setRollout] = useState<Rollout | null>(null);
  const [text, setText] = useState('');
  const [batches, setBatches] = useState<Batch[]>([]);
  const [batch, setBatch] = useState({ region: '', cohort: '', size: '100', expires: '' });
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState('');
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const load = async () => {
    const [r, b] = await Promise.all([staffApi<Rollout>('GET', '/api/v1/rollout'), staffApi<{ items: Batch[] }>('GET', '/api/v1/admin/invitation-batches')]);
    if (r.ok) { setRollout(r.body); setText(JSON.stringify(r.body.rules, null, 2)); }
    if (b.ok) setBatches(b.body.items);
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
