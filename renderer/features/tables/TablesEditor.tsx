// Lookup tables (e.g. a life table by age and sex): id, label, source, how a numeric key is matched
// (floor / exact / linear) and what happens out of range, the key columns and the rows. Every edit
// is one undoable change; the engine's issues show at the field (a bad row is marked in the grid).
// Removing a table that parameters still use is allowed: their "unknown lookup table" issues are
// listed with the parameter's value field, so the model never breaks silently.
import { useState } from 'react';
import type { LookupTable } from '../../../models/index';
import { EditCell, IssueText, SelectCell } from '../../components/EditCell';
import { Empty, Panel, ScreenHeader } from '../../components/Panel';
import { useT } from '../../i18n';
import { useSession } from '../../state/use-model-session';
import { UnknownReferences } from '../overview/OutcomesPanel';
import { uniqueId } from '../overview/OverviewScreen';

const MATCH = ['floor', 'exact', 'linear'] as const;
const OUT_OF_RANGE = ['clamp', 'error'] as const;
const CONFIDENCE = ['reported', 'derived', 'assumption'] as const;
/** Rows rendered at first; more on request (tables may hold up to 100,000 rows). */
export const ROW_PAGE = 200;

type Cell = number | string;

/** Parameters whose value names the table in a lookup(...) call. */
export function tableUsers(parameters: readonly { id: string; value: unknown }[], tableId: string): string[] {
  const pattern = new RegExp(`\\blookup\\s*\\(\\s*${tableId.replace(/[^A-Za-z0-9_]/g, '')}\\s*[,)]`);
  return parameters.filter((p) => typeof p.value === 'string' && pattern.test(p.value)).map((p) => p.id);
}

/** A new row after `last`: the same keys with the last numeric key one higher (so the keys stay distinct). */
export function nextRow(last: Cell[] | undefined, keyCount: number): Cell[] {
  if (!last) return [...new Array<Cell>(keyCount).fill(0), 0];
  const row = last.slice(0, keyCount + 1);
  for (let c = keyCount - 1; c >= 0; c--) {
    const k = row[c];
    if (typeof k === 'number') {
      row[c] = k + 1;
      break;
    }
  }
  return row;
}

export function TablesEditor() {
  const t = useT();
  const { doc, dispatch, validation } = useSession();
  const tables = (doc.present.tables ?? []) as LookupTable[];
  const [selected, setSelected] = useState(0);
  const [shown, setShown] = useState(ROW_PAGE);
  const ti = Math.max(0, Math.min(selected, tables.length - 1));
  const unknown = validation.issues.all.filter((i) => /unknown (lookup )?table '/.test(i.message) || /is a lookup table; use lookup/.test(i.message));
  const addTable = () => {
    const id = uniqueId('table', tables.map((x) => x.id));
    dispatch({ type: 'set', path: ['tables', tables.length], value: { id, label: `Table ${tables.length + 1}`, keys: ['age'], match: 'floor', outOfRange: 'clamp', rows: [[0, 0]] }, label: 'Add lookup table' });
    setSelected(tables.length);
  };
  const header = (
    <ScreenHeader
      title={t('tables.title')}
      subtitle={t('tables.subtitle')}
      actions={
        <div className="inline">
          {tables.length > 1 && (
            <div className="seg" role="group" aria-label={t('tables.title')}>
              {tables.map((tb, i) => (
                <button key={i} type="button" aria-pressed={i === ti} className={i === ti ? 'on' : ''} onClick={() => { setSelected(i); setShown(ROW_PAGE); }}>
                  {tb.label ?? tb.id}
                </button>
              ))}
            </div>
          )}
          <button type="button" className="btn small" onClick={addTable} data-testid="table-add">
            {t('tables.add')}
          </button>
        </div>
      }
    />
  );
  if (tables.length === 0) {
    return (
      <div className="screen" data-testid="screen-tables">
        {header}
        <UnknownReferences issues={unknown} testId="table-references" kind="table" />
        <Empty>{t('tables.none')}</Empty>
      </div>
    );
  }
  const table = tables[ti];
  const base = ['tables', ti] as const;
  const keys = table.keys ?? [];
  const rows = (table.rows ?? []) as Cell[][];
  const users = tableUsers(doc.present.parameters ?? [], table.id);
  const rowsIssues = validation.issues.at(`/tables/${ti}/rows`);
  const badRows = new Set(rowsIssues.flatMap((i) => [...i.message.matchAll(/rows\[(\d+)\]/g)].map((m) => Number(m[1]))));
  const keysIssues = validation.issues.at(`/tables/${ti}/keys`);
  const setTable = (next: Partial<LookupTable>, label: string) => dispatch({ type: 'set', path: base, value: { ...table, ...next }, label });
  const removeTable = () => {
    dispatch({ type: 'set', path: ['tables'], value: tables.filter((_, i) => i !== ti), label: `Remove lookup table ${table.id}` });
    setSelected(Math.max(0, ti - 1));
  };
  const addKey = () => {
    let n = keys.length + 1;
    while (keys.includes(`key_${n}`)) n++;
    setTable({ keys: [...keys, `key_${n}`], rows: rows.map((r) => [...r.slice(0, keys.length), 0, ...r.slice(keys.length)]) }, `Add key column to ${table.id}`);
  };
  const removeKey = (c: number) =>
    setTable({ keys: keys.filter((_, i) => i !== c), rows: rows.map((r) => r.filter((_, i) => i !== c)) }, `Remove key column ${keys[c]} from ${table.id}`);
  const addRow = () => dispatch({ type: 'set', path: [...base, 'rows', rows.length], value: nextRow(rows[rows.length - 1], keys.length), label: `Add row to ${table.id}` });
  const removeRow = (r: number) => setTable({ rows: rows.filter((_, i) => i !== r) }, `Remove row ${r + 1} from ${table.id}`);
  const visible = rows.slice(0, shown);
  return (
    <div className="screen" data-testid="screen-tables">
      {header}
      <UnknownReferences issues={unknown} testId="table-references" kind="table" />
      <div className="grid tables-layout">
        <Panel
          title={`${t('tables.table')}: ${table.id}`}
          testId="table-settings"
          actions={
            <button type="button" className="btn small danger" onClick={removeTable} aria-label={`Remove lookup table ${table.id}`} title={users.length ? t('tables.removeUsed', { names: users.join(', ') }) : undefined}>
              {t('tables.remove')}
            </button>
          }
        >
          <table className="form-table">
            <tbody>
              <tr>
                <th>{t('tables.id')}</th>
                <td>
                  <EditCell path={[...base, 'id']} value={table.id} kind="text" label={`Id of lookup table ${ti + 1}`} />
                </td>
              </tr>
              <tr>
                <th>{t('tables.label')}</th>
                <td>
                  <EditCell path={[...base, 'label']} value={table.label} kind="optional-text" label={`Label of lookup table ${table.id}`} width="wide" />
                </td>
              </tr>
              <tr>
                <th>{t('tables.match')}</th>
                <td className="inline">
                  <SelectCell path={[...base, 'match']} value={table.match ?? 'floor'} options={MATCH} label={`Key matching of lookup table ${table.id}`} />
                  <span className="hint">{t(`tables.match.${table.match ?? 'floor'}`)}</span>
                </td>
              </tr>
              <tr>
                <th>{t('tables.outOfRange')}</th>
                <td className="inline">
                  <SelectCell path={[...base, 'outOfRange']} value={table.outOfRange ?? 'clamp'} options={OUT_OF_RANGE} label={`Out of range in lookup table ${table.id}`} />
                  <span className="hint">{t(`tables.outOfRange.${table.outOfRange ?? 'clamp'}`)}</span>
                </td>
              </tr>
              <tr>
                <th>{t('tables.source')}</th>
                <td>
                  <EditCell path={[...base, 'source']} value={table.source} kind="optional-text" label={`Source of lookup table ${table.id}`} width="wide" />
                </td>
              </tr>
              <tr>
                <th>{t('params.confidence')}</th>
                <td>
                  <SelectCell path={[...base, 'confidence']} value={table.confidence} options={CONFIDENCE} label={`Confidence of lookup table ${table.id}`} allowEmpty />
                </td>
              </tr>
              <tr>
                <th>{t('tables.usedBy')}</th>
                <td className="mono small" data-testid="table-users">
                  {users.length ? users.join(', ') : '—'}
                </td>
              </tr>
            </tbody>
          </table>
          <p className="hint">{t('tables.usage', { call: `lookup(${table.id}, ${keys.join(', ')})` })}</p>
        </Panel>
        <Panel
          title={`${t('tables.rows')} (${rows.length})`}
          className="flush"
          testId="table-rows"
          actions={
            <>
              <button type="button" className="btn small" onClick={addKey} disabled={keys.length >= 4}>
                {t('tables.addKey')}
              </button>
              <button type="button" className="btn small" onClick={addRow} data-testid="table-add-row">
                {t('tables.addRow')}
              </button>
            </>
          }
        >
          {(rowsIssues.length > 0 || keysIssues.length > 0) && (
            <div className="pad" data-path={`/tables/${ti}/rows`}>
              <IssueText issues={[...keysIssues, ...rowsIssues]} />
            </div>
          )}
          <div className="table-scroll">
            <table className="data lookup-grid" data-testid="lookup-grid">
              <thead>
                <tr>
                  <th className="num">#</th>
                  {keys.map((k, c) => (
                    <th key={c}>
                      <div className="cell-with-remove key-head">
                        <EditCell path={[...base, 'keys', c]} value={k} kind="text" label={`Name of key column ${c + 1} of ${table.id}`} width="narrow" />
                        <button type="button" className="x" title={t('tables.removeKey')} aria-label={`Remove key column ${k} of ${table.id}`} disabled={keys.length <= 1} onClick={() => removeKey(c)}>
                          ×
                        </button>
                      </div>
                    </th>
                  ))}
                  <th className="num">{t('tables.value')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {visible.map((row, r) => (
                  <tr key={r} className={badRows.has(r) ? 'bad-row' : undefined} data-row={r}>
                    <td className="num muted">{r + 1}</td>
                    {keys.map((k, c) => (
                      <td key={c}>
                        <EditCell path={[...base, 'rows', r, c]} value={row[c]} kind="expression" label={`${k} in row ${r + 1} of ${table.id}`} width="narrow" />
                      </td>
                    ))}
                    <td className="num">
                      <EditCell path={[...base, 'rows', r, keys.length]} value={row[keys.length]} kind="number" label={`Value in row ${r + 1} of ${table.id}`} align="right" width="narrow" testId={`table-value-${r}`} />
                    </td>
                    <td>
                      <button type="button" className="x" title={t('tables.removeRow')} aria-label={`Remove row ${r + 1} of ${table.id}`} disabled={rows.length <= 1} onClick={() => removeRow(r)}>
                        ×
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length > shown && (
            <div className="pad">
              <button type="button" className="btn small" onClick={() => setShown(shown + ROW_PAGE)}>
                {t('tables.showMore', { n: Math.min(ROW_PAGE, rows.length - shown), total: rows.length })}
              </button>
            </div>
          )}
        </Panel>
      </div>
    </div>
  );
}
