// A parameter's details under its row: rename (optionally updating every expression that uses it,
// in one undoable step), label, description, group, source, notes, and remove.
import { useEffect, useState } from 'react';
import { EditCell, IssueText } from '../../components/EditCell';
import { useT } from '../../i18n';
import { countParameterReferences, renameParameter } from '../../state/rename-parameter';
import { useSession } from '../../state/use-model-session';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function ParameterDetails({ index, onRemoved }: { index: number; onRemoved: () => void }) {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const p = (doc.present.parameters ?? [])[index];
  const [text, setText] = useState(p?.id ?? '');
  const [update, setUpdate] = useState(true);
  const [localError, setLocalError] = useState<string | null>(null);
  useEffect(() => {
    setText(p?.id ?? '');
    setLocalError(null);
  }, [p?.id]);
  if (!p) return null;
  const uses = countParameterReferences(doc.present, p.id);
  const base = ['parameters', index] as const;
  const idIssues = validation.issues.at(`/parameters/${index}/id`);
  const commitRename = () => {
    const to = text.trim();
    if (to === p.id) {
      setLocalError(null);
      return;
    }
    if (!IDENTIFIER.test(to)) {
      // Not committed (it would break every reference): the text stays with the reason next to it.
      setLocalError(t('params.badId'));
      return;
    }
    setLocalError(null);
    dispatch({ type: 'replace', model: renameParameter(doc.present, index, to, update), label: `Rename parameter ${p.id} to ${to}` });
  };
  return (
    <div className="param-details" data-testid={`param-details-${p.id}`}>
      <div className="param-details-grid">
        <div className="field">
          <span>{t('params.id')}</span>
          <div className={`cell-edit${localError || idIssues.length ? ' has-error' : ''}`} data-path={`/parameters/${index}/id`}>
            <input
              className="cell-input mono"
              value={text}
              aria-label={`Id of parameter ${index + 1}`}
              aria-invalid={localError ? true : undefined}
              spellCheck={false}
              onChange={(e) => setText(e.target.value)}
              onBlur={commitRename}
              onKeyDown={(e) => {
                if (e.key === 'Enter') commitRename();
                if (e.key === 'Escape') {
                  setText(p.id);
                  setLocalError(null);
                }
              }}
            />
            {localError ? <div className="field-issue error" role="alert" data-testid="field-issue">{localError}</div> : idIssues.length > 0 && <IssueText issues={idIssues} />}
          </div>
          <span className="check">
            <input type="checkbox" checked={update} onChange={(e) => setUpdate(e.target.checked)} aria-label={`Update the references to ${p.id} when renaming`} />
            {t('params.updateReferences', { n: uses })}
          </span>
        </div>
        <label>
          {t('params.label')}
          <EditCell path={[...base, 'label']} value={p.label} kind="optional-text" label={`Label of ${p.id}`} width="wide" />
        </label>
        <label>
          {t('params.group')}
          <EditCell path={[...base, 'group']} value={p.group} kind="optional-text" label={`Group of ${p.id}`} />
        </label>
        <label>
          {t('params.description')}
          <EditCell path={[...base, 'description']} value={p.description} kind="optional-text" label={`Description of ${p.id}`} width="wide" />
        </label>
        <label>
          {t('params.source')}
          <EditCell path={[...base, 'source']} value={p.source} kind="optional-text" label={`Source of ${p.id}`} width="wide" />
        </label>
        <label>
          {t('params.notes')}
          <EditCell path={[...base, 'notes']} value={p.notes} kind="optional-text" label={`Notes on ${p.id}`} width="wide" />
        </label>
      </div>
      <div className="inline">
        <button
          type="button"
          className="btn small danger"
          aria-label={`Remove parameter ${p.id}`}
          title={uses > 0 ? t('params.removeUsed', { n: uses }) : undefined}
          onClick={() => {
            dispatch({ type: 'set', path: ['parameters'], value: (doc.present.parameters ?? []).filter((_, i) => i !== index), label: `Remove parameter ${p.id}` });
            onRemoved();
          }}
        >
          {t('params.remove')}
        </button>
        {uses > 0 && <span className="hint">{t('params.removeUsed', { n: uses })}</span>}
      </div>
    </div>
  );
}
