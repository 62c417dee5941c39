// An editable value bound to a JSON path of the model. Keeps its own text while typing (so "1."
// is not turned into "1"), commits every change (coalesced into one undo step per field) and
// shows the validation issues whose JSON pointer names this field, right next to it.
import { useEffect, useRef, useState } from 'react';
import type { ModelIssue } from '../../models/index';
import { type JsonPath, toPointer } from '../state/json-path';
import { parseNumberOrExpression } from '../state/model-document';
import { useSession } from '../state/use-model-session';

export type EditKind = 'expression' | 'optional-expression' | 'number' | 'text' | 'optional-number' | 'optional-text';

export function displayValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

function toValue(kind: EditKind, text: string): unknown {
  switch (kind) {
    case 'expression':
      return parseNumberOrExpression(text);
    case 'optional-expression':
      return text.trim() === '' ? undefined : parseNumberOrExpression(text);
    case 'number': {
      const parsed = parseNumberOrExpression(text);
      return typeof parsed === 'number' ? parsed : text;
    }
    case 'optional-number': {
      if (text.trim() === '') return undefined;
      const parsed = parseNumberOrExpression(text);
      return typeof parsed === 'number' ? parsed : text;
    }
    case 'optional-text':
      return text === '' ? undefined : text;
    case 'text':
      return text;
  }
}

export function EditCell(props: {
  path: JsonPath;
  value: unknown;
  kind: EditKind;
  label: string;
  /** Extra issues to show (e.g. issues naming this parameter). */
  extraIssues?: ModelIssue[];
  align?: 'left' | 'right';
  placeholder?: string;
  /** 'fit' sizes the field to its content (matrices of expressions). */
  width?: 'narrow' | 'wide' | 'auto' | 'fit';
  testId?: string;
}) {
  const { dispatch, validation } = useSession();
  const pointer = toPointer(props.path);
  const [text, setText] = useState(() => displayValue(props.value));
  const lastSent = useRef<unknown>(props.value);
  useEffect(() => {
    // An outside change (undo, redo, open): show it.
    if (!Object.is(props.value, lastSent.current)) {
      lastSent.current = props.value;
      setText(displayValue(props.value));
    }
  }, [props.value]);
  const issues = [...validation.issues.at(pointer), ...(props.extraIssues ?? [])];
  const hasError = issues.some((i) => i.severity === 'error');
  const isExpression = typeof props.value === 'string' && (props.kind === 'expression' || props.kind === 'optional-expression');
  return (
    <div className={`cell-edit${hasError ? ' has-error' : ''}`} data-path={pointer}>
      <input
        className={`cell-input ${props.align === 'right' ? 'num' : ''} ${isExpression ? 'expr' : ''} w-${props.width ?? 'auto'}`}
        value={text}
        size={props.width === 'fit' ? Math.min(26, Math.max(5, text.length + 1)) : undefined}
        aria-label={props.label}
        title={text.length > 20 ? text : undefined}
        aria-invalid={hasError || undefined}
        placeholder={props.placeholder}
        spellCheck={false}
        data-testid={props.testId}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          const value = toValue(props.kind, next);
          lastSent.current = value;
          dispatch({ type: 'set', path: props.path, value, label: props.label });
        }}
        onBlur={() => {
          // Normalise the display once the user leaves the field.
          setText(displayValue(lastSent.current));
        }}
      />
      {issues.length > 0 && <IssueText issues={issues} />}
    </div>
  );
}

export function IssueText({ issues }: { issues: ModelIssue[] }) {
  const first = issues[0];
  return (
    <div className={`field-issue ${first.severity}`} role="alert" data-testid="field-issue" title={issues.map((i) => i.message).join('\n')}>
      {first.message}
      {issues.length > 1 && <span className="more"> (+{issues.length - 1} more)</span>}
    </div>
  );
}

export function SelectCell<T extends string>(props: { path: JsonPath; value: T | undefined; options: readonly T[]; label: string; allowEmpty?: boolean }) {
  const { dispatch, validation } = useSession();
  const pointer = toPointer(props.path);
  const issues = validation.issues.at(pointer);
  return (
    <div className={`cell-edit${issues.length ? ' has-error' : ''}`} data-path={pointer}>
      <select
        className="cell-select"
        aria-label={props.label}
        value={props.value ?? ''}
        onChange={(event) => dispatch({ type: 'set', path: props.path, value: event.target.value === '' ? undefined : event.target.value, label: props.label })}
      >
        {props.allowEmpty && <option value="">—</option>}
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      {issues.length > 0 && <IssueText issues={issues} />}
    </div>
  );
}
