// Layout and routing only: toolbar, left navigation, the current screen, status bar.
import { useState } from 'react';
import type { HostApi } from './host/host-api';
import { LocaleProvider } from './i18n';
import { Shell, type ScreenId } from './components/Shell';
import { type ModelJson } from './state/model-document';
import { SessionContext, useModelSession } from './state/use-model-session';
import type { ValidatorFactory } from './state/validator';
import { AnalysisProvider } from './worker/analysis-store';
import { OverviewScreen } from './features/overview/OverviewScreen';
import { ParameterTable } from './features/parameters/ParameterTable';
import { TablesEditor } from './features/tables/TablesEditor';
import { MarkovEditor } from './features/markov/MarkovEditor';
import { TreeEditor } from './features/tree/TreeEditor';
import { BaseCaseScreen } from './features/base-case/BaseCaseScreen';
import { DsaScreen } from './features/dsa/DsaScreen';
import { ScenariosScreen } from './features/scenarios/ScenariosScreen';
import { PsaScreen } from './features/psa/PsaScreen';
import { BudgetScreen } from './features/budget/BudgetScreen';
import { MenuExport } from './features/export/MenuExport';

const SCREENS: Record<ScreenId, () => React.JSX.Element> = {
  overview: OverviewScreen,
  parameters: ParameterTable,
  tables: TablesEditor,
  markov: MarkovEditor,
  tree: TreeEditor,
  'base-case': BaseCaseScreen,
  dsa: DsaScreen,
  scenarios: ScenariosScreen,
  psa: PsaScreen,
  budget: BudgetScreen,
};

export function App(props: { host: HostApi; initialModel: ModelJson; initialFileName: string; validatorFactory?: ValidatorFactory }) {
  const session = useModelSession(props.host, { model: props.initialModel, fileName: props.initialFileName }, props.validatorFactory);
  const [screen, setScreen] = useState<ScreenId>('overview');
  const Screen = SCREENS[screen];
  return (
    <LocaleProvider initial="en">
      <SessionContext.Provider value={session}>
        <AnalysisProvider>
          <MenuExport screen={screen} />
          <Shell screen={screen} onScreen={setScreen}>
            <Screen />
          </Shell>
        </AnalysisProvider>
      </SessionContext.Provider>
    </LocaleProvider>
  );
}
