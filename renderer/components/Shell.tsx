// Application frame: top toolbar, left navigation, banners, status bar.
import type { ReactNode } from 'react';
import { LOCALES, type Locale, type MessageKey, useLocale, useT } from '../i18n';
import { canRedo, canUndo } from '../state/model-document';
import { useSession } from '../state/use-model-session';
import { useAnalyses } from '../worker/analysis-store';
import { psaRequest } from '../worker/psa-request';
import { serialiseModel } from '../state/model-document';

export type ScreenId = 'overview' | 'parameters' | 'tables' | 'markov' | 'tree' | 'base-case' | 'dsa' | 'scenarios' | 'psa' | 'budget';

const NAV: { group: MessageKey; items: { id: ScreenId; key: MessageKey; icon: string }[] }[] = [
  {
    group: 'nav.model',
    items: [
      { id: 'overview', key: 'nav.overview', icon: '◧' },
      { id: 'parameters', key: 'nav.parameters', icon: '≡' },
      { id: 'tables', key: 'nav.tables', icon: '▦' },
      { id: 'markov', key: 'nav.markov', icon: '⇄' },
      { id: 'tree', key: 'nav.tree', icon: '⊏' },
    ],
  },
  {
    group: 'nav.analyses',
    items: [
      { id: 'base-case', key: 'nav.baseCase', icon: '▸' },
      { id: 'dsa', key: 'nav.dsa', icon: '⊟' },
      { id: 'scenarios', key: 'nav.scenarios', icon: '⋮' },
      { id: 'psa', key: 'nav.psa', icon: '∴' },
      { id: 'budget', key: 'nav.budget', icon: '▥' },
    ],
  },
];

export function Shell({ screen, onScreen, children }: { screen: ScreenId; onScreen: (s: ScreenId) => void; children: ReactNode }) {
  const t = useT();
  const [locale, setLocale] = useLocale();
  const s = useSession();
  const { runs, start, psaForm } = useAnalyses();
  const { doc, dirty, validation, pending } = s;
  const errors = validation.issues.errorCount;
  const psa = runs.psa;
  return (
    <div className="app">
      <header className="toolbar" role="toolbar" aria-label="Main toolbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          {t('app.title')}
        </div>
        <div className="file" title={doc.filePath ?? doc.fileName} data-testid="file-name">
          {doc.fileName}
          {dirty && (
            <span className="dirty" title={t('status.unsaved')} data-testid="dirty-indicator">
              ●
            </span>
          )}
        </div>
        <div className="tb-group">
          <button type="button" className="tb" onClick={() => s.newDocument('empty')} data-testid="new-model" title={t('toolbar.newHint')}>
            {t('toolbar.new')}
          </button>
          <button type="button" className="tb" onClick={() => void s.openFile()} data-testid="open" title="Open a model file (Ctrl+O)">
            {t('toolbar.open')}
          </button>
          <button type="button" className="tb" onClick={() => void s.save(false)} data-testid="save" title="Save (Ctrl+S)">
            {t('toolbar.save')}
          </button>
        </div>
        <div className="tb-group">
          <button type="button" className="tb" disabled={!canUndo(doc)} onClick={() => s.dispatch({ type: 'undo' })} data-testid="undo" title={`Undo ${doc.presentLabel} (Ctrl+Z)`}>
            ↶ {t('toolbar.undo')}
          </button>
          <button type="button" className="tb" disabled={!canRedo(doc)} onClick={() => s.dispatch({ type: 'redo' })} data-testid="redo" title={`Redo ${doc.future[0]?.label ?? ''} (Ctrl+Shift+Z)`}>
            ↷ {t('toolbar.redo')}
          </button>
        </div>
        <div className="tb-group run">
          <button type="button" className="tb primary" onClick={() => onScreen('base-case')} data-testid="run-base" disabled={!validation.valid}>
            ▶ {t('toolbar.runBase')}
          </button>
          <button
            type="button"
            className="tb"
            disabled={!validation.valid || psa?.status === 'running'}
            onClick={() => {
              onScreen('psa');
              const request = psaRequest(psaForm, serialiseModel(doc.present));
              if (request) void start(request);
            }}
            data-testid="toolbar-run-psa"
            title={`Run a PSA with ${psaForm.draws} draws, seed ${psaForm.seed}`}
          >
            ∴ {t('toolbar.runPsa')}
          </button>
          <button type="button" className="tb" onClick={() => onScreen('dsa')}>
            ⊟ DSA
          </button>
        </div>
        <div className="spacer" />
        <div className={`validity ${pending ? 'pending' : errors ? 'bad' : validation.complete ? 'good' : 'partial'}`} data-testid="validity">
          {pending ? t('status.checking') : errors ? t('status.issues', { n: errors }) : validation.complete ? `✓ ${t('status.valid')}` : `✓ ${t('status.checkingVariants')}`}
        </div>
      </header>
      <nav className="sidenav" aria-label="Screens">
        {NAV.map((g) => (
          <div key={g.group} className="nav-group">
            <div className="nav-title">{t(g.group)}</div>
            {g.items.map((item) => (
              <button key={item.id} type="button" className={`nav-item${screen === item.id ? ' active' : ''}`} onClick={() => onScreen(item.id)} data-testid={`nav-${item.id}`} aria-current={screen === item.id ? 'page' : undefined}>
                <span className="nav-icon" aria-hidden="true">
                  {item.icon}
                </span>
                {t(item.key)}
                {item.id === 'psa' && psa?.status === 'running' && <span className="nav-badge" title="PSA running" aria-label="running" />}
              </button>
            ))}
          </div>
        ))}
        <div className="nav-foot">
          <div>{t('status.nParameters', { n: doc.present.parameters?.length ?? 0 })}</div>
          <div>{t('status.nStrategies', { n: doc.present.strategies?.length ?? 0 })}</div>
          <div>{t('status.nUndo', { n: doc.past.length })}</div>
        </div>
      </nav>
      <main className="content">
        {s.recovery && (
          <div className="banner warn" role="dialog" aria-label={t('recovery.title')} data-testid="recovery-banner">
            <strong>{t('recovery.title')}.</strong> {t('recovery.body', { name: recoveredName(s.recovery.text), when: new Date(s.recovery.savedAt).toLocaleString('en-GB') })}
            <button type="button" className="btn small primary" onClick={s.restoreRecovery} data-testid="recovery-restore">
              {t('recovery.restore')}
            </button>
            <button type="button" className="btn small" onClick={s.discardRecovery} data-testid="recovery-discard">
              {t('recovery.discard')}
            </button>
          </div>
        )}
        {s.notice && (
          <div className={`banner ${s.notice.kind === 'error' ? 'error' : 'info'}`} role="status" data-testid="notice">
            {s.notice.text}
            <button type="button" className="close" onClick={() => s.setNotice(null)} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
        {children}
      </main>
      <footer className="statusbar">
        <span>{s.host.kind === 'electron' ? t('status.desktop') : t('status.browser')}</span>
        <span>{validation.stale ? t('status.checkingModel') : validation.model ? t('status.counts', { s: validation.model.strategies.length, o: validation.model.outcomes.length }) : t('status.notModel')}</span>
        <span>{validation.baseCase ? t('status.computed', { ms: validation.ms.toFixed(0) }) : ''}</span>
        <span className="spacer" />
        <select className="locale" value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label="Language">
          {LOCALES.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
        <span>{dirty ? t('status.unsaved') : t('status.saved')}</span>
      </footer>
    </div>
  );
}

function recoveredName(text: string): string {
  try {
    return (JSON.parse(text) as { fileName?: string }).fileName ?? 'model';
  } catch {
    return 'model';
  }
}
