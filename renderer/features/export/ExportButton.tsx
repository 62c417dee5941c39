// "Export to Excel" for a result; the workbook is written in the analysis worker.
import { useT } from '../../i18n';
import { useExport, type ExportWhat } from './use-export';

export function ExportButton({ what }: { what: ExportWhat }) {
  const t = useT();
  const { exportWorkbook, busy } = useExport();
  return (
    <button type="button" className="btn" disabled={busy} onClick={() => void exportWorkbook(what)} data-testid={`export-${what}`}>
      {busy ? 'Exporting…' : t('toolbar.export')}
    </button>
  );
}
