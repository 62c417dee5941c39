// Parameters: value or expression, unit, DSA range, PSA distribution, source and confidence.
// Assumption rows are marked; each field shows the validation issues that name it.
import { Fragment, useMemo, useState } from 'react';
import type { Distribution } from '../../../models/index';
import { EditCell, IssueText, SelectCell } from '../../components/EditCell';
import { Panel, ScreenHeader } from '../../components/Panel';
import { formatValue } from '../../format/numbers';
import { DistributionEditor } from './DistributionEditor';
import { ParameterDetails } from './ParameterDetails';
import { UnknownReferences } from '../overview/OutcomesPanel';
import { uniqueId } from '../overview/OverviewScreen';
import { useT } from '../../i18n';
import { useSession } from '../../state/use-model-session';

const CONFIDENCE = ['reported', 'derived', 'assumption'] as const;

export function describeDistribution(d: Distribution | undefined): string {
  if (!d) return '—';
  const f = (x: number | undefined) => (x === undefined ? '?' : formatValue(x));
  switch (d.type) {
    case 'fixed':
      return 'fixed';
    case 'beta':
      return d.alpha !== undefined ? `Beta(${f(d.alpha)}, ${f(d.beta)})` : `Beta(mean ${f(d.mean)}, SE ${f(d.se)})`;
    case 'gamma':
      return d.shape !== undefined ? `Gamma(${f(d.shape)}, scale ${f(d.scale)})` : `Gamma(mean ${f(d.mean)}, SE ${f(d.se)})`;
    case 'lognormal':
      return d.meanlog !== undefined ? `LogNormal(${f(d.meanlog)}, ${f(d.sdlog)})` : `LogNormal(mean ${f(d.mean)}, SE ${f(d.se)})`;
    case 'normal':
      return `Normal(${f(d.mean)}, ${f(d.sd ?? d.se)})`;
    case 'uniform':
      return `Uniform(${f(d.min)}, ${f(d.max)})`;
    case 'triangular':
      return `Triangular(${f(d.min)}, ${f(d.mode)}, ${f(d.max)})`;
    case 'pert':
      return `PERT(${f(d.min)}, ${f(d.mode)}, ${f(d.max)})`;
    case 'dirichlet':
      return `Dirichlet[${d.group}]`;
  }
}

export function ParameterTable() {
  const t = useT();
  const { doc, validation, dispatch } = useSession();
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [details, setDetails] = useState<number | null>(null);
  const parameters = doc.present.parameters ?? [];
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return parameters
      .map((p, index) => ({ p, index }))
      .filter(({ p }) => !needle || [p.id, p.label, p.source, p.group].some((s) => s?.toLowerCase().includes(needle)));
  }, [parameters, filter]);
  const assumptions = parameters.filter((p) => p.confidence === 'assumption').length;
  // A new parameter has no source yet, so it is labelled an assumption until one is given.
  const addParameter = () => {
    const id = uniqueId('param', parameters.map((p) => p.id));
    dispatch({ type: 'set', path: ['parameters', parameters.length], value: { id, value: 0, confidence: 'assumption' }, label: 'Add parameter' });
    setFilter('');
    setDetails(parameters.length);
  };
  const unknown = validation.issues.all.filter((i) => /unknown name '|overrides unknown parameter '/.test(i.message));
  return (
    <div className="screen" data-testid="screen-parameters">
      <ScreenHeader
        title={t('params.title')}
        subtitle={t('params.subtitle', { n: parameters.length, a: assumptions })}
        actions={
          <div className="inline">
            <input className="search" type="search" placeholder={t('params.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} aria-label={t('params.filter')} />
            <button type="button" className="btn small" onClick={addParameter} data-testid="param-add">
              {t('params.add')}
            </button>
          </div>
        }
      />
      <UnknownReferences issues={unknown} testId="parameter-references" kind="parameter" />
      <Panel title={`${rows.length} of ${parameters.length}`} className="flush">
        <div className="table-scroll">
          <table className="data params" data-testid="parameter-table">
            <thead>
              <tr>
                <th>{t('params.id')}</th>
                <th>{t('params.label')}</th>
                <th className="num">{t('params.value')}</th>
                <th>{t('params.unit')}</th>
                <th className="num">{t('params.low')}</th>
                <th className="num">{t('params.high')}</th>
                <th>{t('params.distribution')}</th>
                <th>{t('params.confidence')}</th>
                <th>{t('params.source')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ p, index }) => {
                const base = ['parameters', index] as const;
                const rowIssues = validation.issues
                  .under(`/parameters/${index}`)
                  .filter((i) => !/\/(value|low|high|unit|source|confidence)$/.test(i.path) && !i.path.includes('/distribution'));
                const assumption = p.confidence === 'assumption';
                return (
                  <Fragment key={index}>
                  <tr className={assumption ? 'assumption' : undefined} data-param={p.id}>
                    <td className="mono id">
                      <button
                        type="button"
                        className={`details-toggle${details === index ? ' on' : ''}`}
                        onClick={() => setDetails(details === index ? null : index)}
                        aria-expanded={details === index}
                        aria-label={`Details of ${p.id}`}
                        title={t('params.details')}
                        data-testid={`details-${p.id}`}
                      >
                        {details === index ? '▾' : '▸'}
                      </button>
                      {p.id}
                      {assumption && <span className="tag warn">{t('params.assumption')}</span>}
                      {rowIssues.length > 0 && <IssueText issues={rowIssues} />}
                    </td>
                    <td className="label" title={[p.label, p.description, p.notes].filter(Boolean).join('\n')}>
                      <div className="clamp">{p.label}</div>
                    </td>
                    <td className="num">
                      <EditCell path={[...base, 'value']} value={p.value} kind="expression" label={`Value of ${p.id}`} align="right" testId={`param-value-${p.id}`} />
                    </td>
                    <td>
                      <EditCell path={[...base, 'unit']} value={p.unit} kind="optional-text" label={`Unit of ${p.id}`} width="narrow" />
                    </td>
                    <td className="num">
                      <EditCell path={[...base, 'low']} value={p.low} kind="optional-number" label={`Low value of ${p.id}`} align="right" width="narrow" />
                    </td>
                    <td className="num">
                      <EditCell path={[...base, 'high']} value={p.high} kind="optional-number" label={`High value of ${p.id}`} align="right" width="narrow" />
                    </td>
                    <td className="small">
                      <button
                        type="button"
                        className={`dist-toggle${open === index ? ' on' : ''}${validation.issues.under(`/parameters/${index}/distribution`).length ? ' error' : ''}`}
                        onClick={() => setOpen(open === index ? null : index)}
                        aria-expanded={open === index}
                        title={t('params.editDistribution')}
                        data-testid={`dist-${p.id}`}
                      >
                        {describeDistribution(p.distribution)} <span aria-hidden="true">▾</span>
                      </button>
                    </td>
                    <td>
                      <SelectCell path={[...base, 'confidence']} value={p.confidence} options={CONFIDENCE} label={`Confidence of ${p.id}`} allowEmpty />
                    </td>
                    <td className="small source" title={p.source}>
                      {p.source ? <div className="clamp">{p.source}</div> : <span className="missing">{t('params.noSource')}</span>}
                    </td>
                  </tr>
                  {details === index && (
                    <tr className="dist-row">
                      <td colSpan={9}>
                        <ParameterDetails index={index} onRemoved={() => setDetails(null)} />
                      </td>
                    </tr>
                  )}
                  {open === index && (
                    <tr className="dist-row">
                      <td colSpan={9}>
                        <DistributionEditor index={index} id={p.id} distribution={p.distribution} />
                      </td>
                    </tr>
                  )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
