// Summary, incremental and net-benefit tables for a base-case result (also reused for scenarios).
import type { BaseCaseResult } from '../../../models/index';
import { Panel } from '../../components/Panel';
import { formatCurrency, formatIcer, formatNumber, formatQuantity, formatValue } from '../../format/numbers';
import { type MessageKey, useT } from '../../i18n';

const STATUS: Record<string, MessageKey> = { reference: 'base.status.reference', frontier: 'base.status.frontier', dominated: 'base.status.dominated', 'extended-dominated': 'base.status.extendedDominated' };

export function effectInfo(result: BaseCaseResult) {
  const effect = result.outcomes.find((o) => o.id === result.settings.effectOutcome);
  return { label: effect?.label ?? 'Effect', unit: effect?.unit ?? null };
}

/** Every outcome (rows) by strategy (columns): models often have many outcomes and few strategies. */
export function SummaryTable({ result, testId }: { result: BaseCaseResult; testId?: string }) {
  const t = useT();
  const currency = result.settings.currency;
  const { costOutcome, effectOutcome } = result.settings;
  const ordered = [...result.outcomes].sort((a, b) => rankOutcome(a.id) - rankOutcome(b.id));
  function rankOutcome(id: string): number {
    return id === costOutcome ? 0 : id === effectOutcome ? 1 : 2;
  }
  const isMoney = (unit: string | null, discount: string) => unit === currency || (unit === null && discount === 'costs');
  return (
    <table className="data" data-testid={testId ?? 'summary-table'}>
      <thead>
        <tr>
          <th>{t('base.outcome')}</th>
          <th>{t('outcomes.unit')}</th>
          {result.strategies.map((s) => (
            <th key={s.id} className="num">
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ordered.map((o) => (
          <tr key={o.id} data-outcome={o.id} className={o.id === costOutcome || o.id === effectOutcome ? 'key-row' : undefined}>
            <td title={o.id}>
              {o.label}
              {o.id === costOutcome ? ` (${t('common.cost').toLowerCase()})` : o.id === effectOutcome ? ` (${t('common.effect').toLowerCase()})` : ''}
            </td>
            <td className="small muted">
              {o.unit ?? ''}
              {o.discount === 'none' ? '' : `, ${t('base.discounted')}`}
            </td>
            {result.strategies.map((s) => (
              <td key={s.id} className="num" data-strategy={s.id} data-value={s.outcomes[o.id]}>
                {isMoney(o.unit, o.discount) ? formatCurrency(s.outcomes[o.id], currency, 2) : o.id === effectOutcome ? formatNumber(s.outcomes[o.id], 4) : formatValue(s.outcomes[o.id])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function IncrementalTable({ result, testId }: { result: BaseCaseResult; testId?: string }) {
  const t = useT();
  const currency = result.settings.currency;
  const effect = effectInfo(result);
  const names = new Map(result.strategies.map((s) => [s.id, s.name]));
  return (
    <table className="data" data-testid={testId ?? 'incremental-table'}>
      <thead>
        <tr>
          <th>{t('common.strategy')}</th>
          <th className="num">{t('common.cost')}</th>
          <th className="num">{t('common.effect')}</th>
          <th className="num">{t('common.incCost')}</th>
          <th className="num">{t('common.incEffect')}</th>
          <th className="num">
            {t('common.icer')} ({currency}/{effect.unit ?? 'unit'})
          </th>
          <th>{t('common.status')}</th>
        </tr>
      </thead>
      <tbody>
        {result.incremental.map((r) => {
          const icer = formatIcer(r, currency, effect.unit);
          return (
            <tr key={r.id} className={`status-${r.status}`} data-strategy={r.id}>
              <td>{names.get(r.id) ?? r.id}</td>
              <td className="num">{formatCurrency(r.cost, currency, 2)}</td>
              <td className="num">{formatQuantity(r.effect, null, 4)}</td>
              <td className="num">{r.incrementalCost === null ? '' : formatCurrency(r.incrementalCost, currency, 2)}</td>
              <td className="num">{r.incrementalEffect === null ? '' : formatNumber(r.incrementalEffect, 4)}</td>
              <td className={`num icer ${icer.kind}`} data-testid={`icer-${r.id}`} data-value={r.icer ?? ''}>
                {icer.text}
              </td>
              <td className="small">
                {STATUS[r.status] ? t(STATUS[r.status]) : r.status}
                {r.comparator ? ` ${t('base.vs', { name: names.get(r.comparator) ?? r.comparator })}` : ''}
                {r.dominatedBy ? ` ${t('base.by', { name: r.dominatedBy })}` : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function NetBenefitTable({ result }: { result: BaseCaseResult }) {
  const t = useT();
  const currency = result.settings.currency;
  const names = new Map(result.strategies.map((s) => [s.id, s.name]));
  return (
    <table className="data" data-testid="nmb-table">
      <thead>
        <tr>
          <th className="num">WTP</th>
          {result.strategies.map((s) => (
            <th key={s.id} className="num">
              NMB {s.name}
            </th>
          ))}
          <th>{t('base.optimal')}</th>
        </tr>
      </thead>
      <tbody>
        {result.netBenefit.map((row) => (
          <tr key={row.wtp}>
            <td className="num">{formatCurrency(row.wtp, currency)}</td>
            {result.strategies.map((s) => (
              <td key={s.id} className={`num ${row.optimal === s.id ? 'best' : ''}`}>
                {formatCurrency(row.strategies.find((x) => x.id === s.id)?.nmb, currency, 0)}
              </td>
            ))}
            <td>{names.get(row.optimal) ?? row.optimal}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ResultTables({ result }: { result: BaseCaseResult }) {
  const t = useT();
  return (
    <>
      <Panel title={t('base.incremental')} className="flush" testId="panel-incremental">
        <IncrementalTable result={result} />
      </Panel>
      <Panel title={t('base.outcomes')} className="flush">
        <SummaryTable result={result} />
      </Panel>
      <Panel title={t('base.nmb')} className="flush">
        <NetBenefitTable result={result} />
      </Panel>
    </>
  );
}
