// The model's metadata: name, description, version, authors, references and limitations. Lists
// are edited item by item (add, edit, remove, each undoable); an empty list is left out of the file.
import { EditCell, IssueText } from '../../components/EditCell';
import { Panel } from '../../components/Panel';
import { useT } from '../../i18n';
import { useSession } from '../../state/use-model-session';

type ListKey = 'authors' | 'references' | 'limitations';

function TextList({ field, singular, addLabel }: { field: ListKey; singular: string; addLabel: string }) {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const items = (doc.present.metadata?.[field] ?? []) as string[];
  const set = (next: string[], label: string) => dispatch({ type: 'set', path: ['metadata', field], value: next.length ? next : undefined, label });
  const issues = validation.issues.at(`/metadata/${field}`);
  return (
    <div className="text-list" data-testid={`metadata-${field}`} data-path={`/metadata/${field}`}>
      <ol>
        {items.map((item, i) => (
          <li key={i} className="cell-with-remove">
            <EditCell path={['metadata', field, i]} value={item} kind="text" label={`${singular} ${i + 1}`} width="wide" />
            <button type="button" className="x" title={t('metadata.removeItem')} aria-label={`Remove ${singular.toLowerCase()} ${i + 1}`} onClick={() => set(items.filter((_, j) => j !== i), `Remove ${singular.toLowerCase()} ${i + 1}`)}>
              ×
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="btn small" onClick={() => dispatch({ type: 'set', path: ['metadata', field, items.length], value: '', label: `Add ${singular.toLowerCase()}` })} aria-label={`${addLabel}`}>
        {addLabel}
      </button>
      {issues.length > 0 && <IssueText issues={issues} />}
    </div>
  );
}

export function MetadataPanel() {
  const t = useT();
  const { doc } = useSession();
  const meta = doc.present.metadata;
  return (
    <Panel title={t('metadata.title')} testId="metadata-panel">
      <table className="form-table">
        <tbody>
          <tr>
            <th>{t('metadata.name')}</th>
            <td>
              <EditCell path={['metadata', 'name']} value={meta?.name} kind="text" label="Model name" width="wide" />
            </td>
          </tr>
          <tr>
            <th>{t('overview.description')}</th>
            <td>
              <EditCell path={['metadata', 'description']} value={meta?.description} kind="optional-text" label="Model description" width="wide" />
            </td>
          </tr>
          <tr>
            <th>{t('metadata.version')}</th>
            <td>
              <EditCell path={['metadata', 'version']} value={meta?.version} kind="optional-text" label="Model version" width="narrow" />
            </td>
          </tr>
          <tr>
            <th>{t('metadata.authors')}</th>
            <td>
              <TextList field="authors" singular="Author" addLabel={t('metadata.addAuthor')} />
            </td>
          </tr>
          <tr>
            <th>{t('overview.references')}</th>
            <td>
              <TextList field="references" singular="Reference" addLabel={t('metadata.addReference')} />
            </td>
          </tr>
          <tr>
            <th>{t('metadata.limitations')}</th>
            <td>
              <TextList field="limitations" singular="Limitation" addLabel={t('metadata.addLimitation')} />
            </td>
          </tr>
        </tbody>
      </table>
    </Panel>
  );
}
