// File → Export to Excel (host menu): exports the result shown on the current screen.
import { useEffect, useRef } from 'react';
import type { ScreenId } from '../../components/Shell';
import { useSession } from '../../state/use-model-session';
import { type ExportWhat, useExport } from './use-export';

const BY_SCREEN: Partial<Record<ScreenId, ExportWhat>> = { psa: 'psa', dsa: 'dsa', scenarios: 'scenarios', budget: 'budget-impact' };

export function MenuExport({ screen }: { screen: ScreenId }) {
  const { host } = useSession();
  const { exportWorkbook } = useExport();
  const latest = useRef({ screen, exportWorkbook });
  latest.current = { screen, exportWorkbook };
  useEffect(
    () =>
      host.onMenuCommand((command) => {
        if (command !== 'file:export-xlsx') return;
        void latest.current.exportWorkbook(BY_SCREEN[latest.current.screen] ?? 'base-case');
      }),
    [host],
  );
  return null;
}
