// Base case: results update live as the model is edited.
import { useMemo, useState } from 'react';
import { ChartFrame } from '../../components/ChartFrame';
import { IssueText } from '../../components/EditCell';
import { Empty, ScreenHeader } from '../../components/Panel';
import { traceChart } from '../../charts/configs';
import { formatDuration } from '../../format/numbers';
import { formatDurationIn, useT } from '../../i18n';
import { useSession } from '../../state/use-model-session';
import { ExportButton } from '../export/ExportButton';
import { ResultTables } from './ResultTables';

export function BaseCaseScreen() {
  const t = useT();
  const { validation, doc } = useSession();
  const result = validation.baseCase;
  const [traceStrategy, setTraceStrategy] = useState(0);
  const trace = useMemo(() => {
    if (!result) return null;
    const s = result.strategies[Math.min(traceStrategy, result.strategies.length - 1)];
    const detail = s?.markov?.[0];
    if (!detail) return null;
    const labels: Record<string, string> = {};
    for (const m of doc.present.markovModels ?? []) for (const st of m.states ?? []) if (st.label) labels[st.id] = st.label;
    return traceChart(detail, labels, t('base.cycleAxis', { duration: formatDurationIn(t, result.settings.cycleLength.value, result.settings.cycleLength.unit) }));
  }, [result, traceStrategy, doc.present.markovModels, t]);

  if (!result) {
    return (
      <div className="screen" data-testid="screen-base-case">
        <ScreenHeader title={t('base.title')} />
        <Empty>{validation.baseCaseError ?? t('base.invalid')}</Empty>
        {validation.issues.all.length > 0 && <IssueText issues={validation.issues.all} />}
      </div>
    );
  }
  const s = result.settings;
  return (
    <div className="screen" data-testid="screen-base-case">
      <ScreenHeader
        title={t('base.title')}
        subtitle={t('base.subtitle', {
          n: s.nCycles,
          cycle: formatDurationIn(t, s.cycleLength.value, s.cycleLength.unit),
          costs: `${s.discountRates.costs * 100}%`,
          effects: `${s.discountRates.effects * 100}%`,
          correction: s.withinCycleCorrection,
          currency: `${s.currency}${s.priceYear ? ` ${s.priceYear}` : ''}`,
          cohort: s.cohortSize === 1 ? t('base.perPerson') : t('base.cohortOf', { n: s.cohortSize }),
          ms: validation.ms.toFixed(0),
        })}
        actions={<ExportButton what="base-case" />}
      />
      <ResultTables result={result} />
      {trace && (
        <div className="trace-wrap">
          <div className="seg inline-seg">
            {result.strategies.map((st, i) =>
              st.markov ? (
                <button key={st.id} type="button" className={i === traceStrategy ? 'on' : ''} onClick={() => setTraceStrategy(i)}>
                  {st.name}
                </button>
              ) : null,
            )}
          </div>
          <ChartFrame name="markov-trace" title={t('base.trace')} type="line" data={trace.data} options={trace.options} />
        </div>
      )}
    </div>
  );
}
