// Export the current results (with their chart images) to an Excel workbook via host.saveExport.
import { useState } from 'react';
import { chartImages } from '../../charts/chart-registry';
import { serialiseModel } from '../../state/model-document';
import { useSession } from '../../state/use-model-session';
import type { ExportableResult } from '../../worker/analysis-protocol';
import { useAnalyses } from '../../worker/analysis-store';

export type ExportWhat = 'base-case' | 'psa' | 'dsa' | 'dsa-two-way' | 'threshold' | 'scenarios' | 'budget-impact';

export function safeFileStem(name: string): string {
  return name.replace(/\.(model\.)?json$/i, '').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

export function useExport() {
  const session = useSession();
  const { runs, start } = useAnalyses();
  const [busy, setBusy] = useState(false);
  const exportWorkbook = async (what: ExportWhat) => {
    const results: ExportableResult[] = [];
    const base = session.validation.baseCase;
    if (what === 'base-case' && base) results.push(base as unknown as ExportableResult);
    const add = (kind: 'psa' | 'dsa-one-way' | 'dsa-two-way' | 'threshold' | 'scenarios' | 'budget-impact') => {
      const r = runs[kind];
      if (r?.status === 'done' && r.result) results.push(r.result as ExportableResult);
    };
    if (what === 'psa') add('psa');
    if (what === 'dsa') add('dsa-one-way');
    if (what === 'dsa-two-way') add('dsa-two-way');
    if (what === 'threshold') add('threshold');
    if (what === 'scenarios') add('scenarios');
    if (what === 'budget-impact') add('budget-impact');
    if (results.length === 0) {
      session.setNotice({ kind: 'error', text: 'Nothing to export yet: run the analysis first.' });
      return;
    }
    setBusy(true);
    try {
      const prefix = what === 'base-case' ? 'markov-trace' : what === 'dsa' ? 'dsa-tornado' : what;
      const charts = chartImages(prefix);
      const state = await start({
        kind: 'export',
        modelText: serialiseModel(session.doc.present),
        modelName: session.doc.present.metadata?.name ?? session.doc.fileName,
        results,
        charts,
      });
      if (state.status !== 'done' || !(state.result instanceof Uint8Array)) throw new Error(state.error ?? 'The workbook could not be written.');
      const saved = await session.host.saveExport({ bytes: state.result, suggestedName: `${safeFileStem(session.doc.fileName)}-${what}.xlsx`, kind: 'xlsx' });
      if (saved) session.setNotice({ kind: 'info', text: `Exported ${saved.name}` });
    } catch (error) {
      session.setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  return { exportWorkbook, busy };
}
