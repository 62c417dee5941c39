// Edits a parameter's PSA distribution: type, then its natural parameters or mean and SE.
import type { Distribution } from '../../../models/index';
import { EditCell, IssueText } from '../../components/EditCell';
import { useSession } from '../../state/use-model-session';

export const DISTRIBUTION_FIELDS: Record<Exclude<Distribution['type'], 'dirichlet'>, { key: string; label: string }[]> = {
  fixed: [],
  beta: [
    { key: 'alpha', label: 'α' },
    { key: 'beta', label: 'β' },
    { key: 'mean', label: 'or mean' },
    { key: 'se', label: 'SE' },
  ],
  gamma: [
    { key: 'shape', label: 'shape' },
    { key: 'scale', label: 'scale' },
    { key: 'mean', label: 'or mean' },
    { key: 'se', label: 'SE' },
  ],
  lognormal: [
    { key: 'meanlog', label: 'meanlog' },
    { key: 'sdlog', label: 'sdlog' },
    { key: 'mean', label: 'or mean' },
    { key: 'se', label: 'SE' },
  ],
  normal: [
    { key: 'mean', label: 'mean' },
    { key: 'sd', label: 'SD' },
    { key: 'se', label: 'or SE' },
    { key: 'lower', label: 'lower' },
    { key: 'upper', label: 'upper' },
  ],
  uniform: [
    { key: 'min', label: 'min' },
    { key: 'max', label: 'max' },
  ],
  triangular: [
    { key: 'min', label: 'min' },
    { key: 'mode', label: 'mode' },
    { key: 'max', label: 'max' },
  ],
  pert: [
    { key: 'min', label: 'min' },
    { key: 'mode', label: 'mode' },
    { key: 'max', label: 'max' },
    { key: 'lambda', label: 'λ' },
  ],
};

const TYPES = ['', ...Object.keys(DISTRIBUTION_FIELDS)] as const;

export function DistributionEditor({ index, id, distribution }: { index: number; id: string; distribution: Distribution | undefined }) {
  const { dispatch, validation } = useSession();
  const base = ['parameters', index, 'distribution'] as const;
  const type = distribution?.type ?? '';
  const issues = validation.issues.at(`/parameters/${index}/distribution`);
  const setType = (next: string) => {
    if (next === type) return;
    if (next === '') {
      dispatch({ type: 'set', path: base, value: undefined, label: `Remove distribution of ${id}` });
      return;
    }
    // Keep mean and SE when the new type also takes them.
    const keep: Record<string, unknown> = {};
    const fields = DISTRIBUTION_FIELDS[next as keyof typeof DISTRIBUTION_FIELDS].map((f) => f.key);
    for (const k of ['mean', 'se', 'min', 'max', 'mode'] as const) {
      const v = (distribution as Record<string, unknown> | undefined)?.[k];
      if (fields.includes(k) && typeof v === 'number') keep[k] = v;
    }
    dispatch({ type: 'set', path: base, value: { type: next, ...keep }, label: `Distribution of ${id}` });
  };
  if (type === 'dirichlet') {
    return <div className="dist-editor hint">Dirichlet group {distribution && 'group' in distribution ? distribution.group : ''}: edit the alphas in the model file.</div>;
  }
  return (
    <div className="dist-editor" data-testid={`dist-editor-${id}`}>
      <label>
        Distribution
        <select value={type} onChange={(e) => setType(e.target.value)} aria-label={`Distribution type of ${id}`}>
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {t === '' ? 'none (not varied in PSA)' : t}
            </option>
          ))}
        </select>
      </label>
      {type !== '' &&
        DISTRIBUTION_FIELDS[type].map((f) => (
          <label key={f.key}>
            {f.label}
            <EditCell path={[...base, f.key]} value={(distribution as Record<string, unknown>)[f.key]} kind="optional-number" label={`${f.key} of the distribution of ${id}`} align="right" width="narrow" />
          </label>
        ))}
      {issues.length > 0 && <IssueText issues={issues} />}
    </div>
  );
}
