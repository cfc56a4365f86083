import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../forms';
import { staffApi } from './staff-api';

interface Message { id: number; kind: string; channel: string; status: string; attempts: number; lastError: string | null; createdAt: string; confirmationCode: string | null; invitationCode: string | null }
interface Summary { counts: Array<{ channel: string; status: string; count: number }>; oldestWaitingAt: string | null }
interface LetterBatch { id: number; region: string; letters: number; createdAt: string }

const STATUSES = ['dead', 'failed', 'queued', 'sending', 'suppressed', 'sent'] as const;

/**
 * How messages are doing — for administrators everywhere, for a region
 * manager in their region: counts by channel and status, the dead and failing
 * ones with their error and a button to send them again, and the print batches of letters.
 */
export function MessagesPanel({ region }: { region?: string }) {
  const { t } = useTranslation();
  const q = region ? `region=${encodeURIComponent(region)}` : '';
  const [summary, setSummary] = useState<Summary | null>(null);
  const [status, setStatus] = useState<string>('dead');
  const [messages, setMessages] = useState<Message[]>([]);
  const [batches, setBatches] = useState<LetterBatch[]>([]);
  const [notice, setNotice] = useState('');
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const load = async (which = status) => {
    const [s, m, b] = await Promise.all([
      staffApi<Summary>('GET', `/api/v1/staff/messages/summary${q ? `?${q}` : ''}`),
      staffApi<{ messages: Message[] }>('GET', `/api/v1/staff/messages?status=${which}&limit=100${q ? `&${q}` : ''}`),
      staffApi<{ batches: LetterBatch[] }>('GET', `/api/v1/staff/letter-batches${q ? `?${q}` : ''}`),
    ]);
    if (s.ok) setSummary(s.body);
    if (m.ok) setMessages(m.body.messages);
    if (b.ok) setBatches(b.body.batches);
  };
  useEffect(() => { void load(); }, [region]);
  const fail = (message: string) => setErrors([{ id: 'message-status', message }]);
  const retry = async (id: number) => {
    const r = await staffApi('POST', `/api/v1/staff/messages/${id}/retry`);
    if (!r.ok) return fail(r.error.message);
    setErrors([]); setNotice(t('staff.messages.retried', { id })); await load();
  };
  const retryAll = async () => {
    const r = await staffApi<{ retried: number[] }>('POST', '/api/v1/staff/messages/retry-dead', region ? { region } : {});
    if (!r.ok) return fail(r.error.message);
    setErrors([]); setNotice(t('staff.messages.retriedAll', { count: r.body.retried.length })); await load();
  };
  const makeBatches = async () => {
    const r = await staffApi<{ batches: LetterBatch[] }>('POST', '/api/v1/staff/letter-batches', region ? { region } : {});
    if (!r.ok) return fail(r.error.message);
    setErrors([]); setNotice(r.body.batches.length ? t('staff.messages.batchesMade', { count: r.body.batches.length }) : t('staff.messages.noLetters')); await load();
  };
  const channels = [...new Set(summary?.counts.map((c) => c.channel) ?? [])];
  const count = (channel: string, s: string) => summary?.counts.find((c) => c.channel === channel && c.status === s)?.count ?? 0;
  return (
    <section aria-labelledby="messages-title">
      <h2 className="govuk-heading-l" id="messages-title">{t('staff.messages.title')}{region ? ` – ${region}` : ''}</h2>
      <ErrorSummary errors={errors} />
      {notice && <p className="govuk-body" role="status">{notice}</p>}
      <table className="govuk-table" data-testid="message-summary">
        <caption className="govuk-table__caption govuk-table__caption--m">{t('staff.messages.summary')}</caption>
        <thead className="govuk-table__head"><tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">{t('staff.messages.channel')}</th>
          {STATUSES.map((s) => <th scope="col" className="govuk-table__header govuk-table__header--numeric" key={s}>{t(`staff.messages.statuses.${s}`)}</th>)}
        </tr></thead>
        <tbody className="govuk-table__body">
          {channels.map((c) => (
            <tr className="govuk-table__row" key={c}>
              <th scope="row" className="govuk-table__header">{t(`staff.messages.channels.${c}`)}</th>
              {STATUSES.map((s) => <td className="govuk-table__cell govuk-table__cell--numeric" key={s}>{count(c, s)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="govuk-body">{summary?.oldestWaitingAt ? t('staff.messages.oldest', { when: new Date(summary.oldestWaitingAt).toLocaleString() }) : t('staff.messages.noneWaiting')}</p>
      <div className="govuk-form-group">
        <label className="govuk-label" htmlFor="message-status">{t('staff.messages.list')}</label>
        <select className="govuk-select" id="message-status" value={status} onChange={(e) => { setStatus(e.target.value); void load(e.target.value); }}>
          {STATUSES.map((s) => <option key={s} value={s}>{t(`staff.messages.statuses.${s}`)}</option>)}
        </select>
      </div>
      {messages.length === 0 ? <p className="govuk-body">{t('staff.messages.none')}</p> : (
        <table className="govuk-table" data-testid="messages">
          <thead className="govuk-table__head"><tr className="govuk-table__row">
            {['kind', 'channel', 'booking', 'attempts', 'error', 'when', 'action'].map((k) => <th scope="col" className="govuk-table__header" key={k}>{t(`staff.messages.${k}`)}</th>)}
          </tr></thead>
          <tbody className="govuk-table__body">
            {messages.map((m) => (
              <tr className="govuk-table__row" key={m.id}>
                <td className="govuk-table__cell">{t(`staff.messages.kinds.${m.kind}`)}</td>
                <td className="govuk-table__cell">{t(`staff.messages.channels.${m.channel}`)}</td>
                <td className="govuk-table__cell">{m.confirmationCode ?? m.invitationCode}</td>
                <td className="govuk-table__cell">{m.attempts}</td>
                <td className="govuk-table__cell">{m.lastError}</td>
                <td className="govuk-table__cell">{new Date(m.createdAt).toLocaleString()}</td>
                <td className="govuk-table__cell">{(m.status === 'dead' || m.status === 'failed') && (
                  <button type="button" className="govuk-link vb-link" onClick={() => void retry(m.id)}>{t('staff.messages.retry')}<span className="govuk-visually-hidden"> {m.id}</span></button>)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status === 'dead' && messages.length > 0 && <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void retryAll()}>{t('staff.messages.retryAll')}</button>}
      <h3 className="govuk-heading-m">{t('staff.messages.letters')}</h3>
      <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void makeBatches()}>{t('staff.messages.makeBatches')}</button>
      <ul className="govuk-list" data-testid="letter-batches">
        {batches.map((b) => <li key={b.id}>{t('staff.messages.batch', { id: b.id, region: b.region, letters: b.letters, when: new Date(b.createdAt).toLocaleString() })} –{' '}
          <a className="govuk-link" href={`/api/v1/staff/letter-batches/${b.id}/letters.pdf`}>PDF</a>{' '}·{' '}
          <a className="govuk-link" href={`/api/v1/staff/letter-batches/${b.id}/manifest.csv`}>CSV</a></li>)}
      </ul>
    </section>
  );
}
