// An id that other parts of the model refer to: edited as text, committed on Enter or on leaving
// the field (so references are updated once, in one undoable step). A text that is no valid id is
// kept in the field with the reason next to it and not committed, and so is an id already in use
// (`taken`: references would merge); Escape restores the id.
import { useEffect, useState } from 'react';
import { useT } from '../i18n';
import { useSession } from '../state/use-model-session';
import { IssueText } from './EditCell';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function RenameField(props: { value: string; label: string; pointer: string; onRename: (to: string) => void; taken?: readonly string[] }) {
  const t = useT();
  const { validation } = useSession();
  const [text, setText] = useState(props.value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(props.value);
    setError(null);
  }, [props.value]);
  const issues = validation.issues.at(props.pointer);
  const commit = () => {
    const to = text.trim();
    if (to === props.value) return setError(null);
    if (!IDENTIFIER.test(to)) return setError(t('params.badId'));
    if (props.taken?.includes(to)) return setError(t('rename.inUse', { id: to }));
    setError(null);
    props.onRename(to);
  };
  return (
    <div className={`cell-edit${error || issues.length ? ' has-error' : ''}`} data-path={props.pointer}>
      <input
        className="cell-input mono w-narrow"
        value={text}
        aria-label={props.label}
        aria-invalid={error ? true : undefined}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setText(props.value);
            setError(null);
          }
        }}
      />
      {error ? (
        <div className="field-issue error" role="alert" data-testid="field-issue">
          {error}
        </div>
      ) : (
        issues.length > 0 && <IssueText issues={issues} />
      )}
    </div>
  );
}
