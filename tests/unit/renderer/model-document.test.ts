import { describe, expect, test } from 'vitest';
import { COALESCE_MS, MAX_HISTORY, canRedo, canUndo, createDocument, documentReducer, isDirty, type ModelJson, parseNumberOrExpression, serialiseModel } from '../../../renderer/state/model-document';

const model = { schemaVersion: 1, metadata: { name: 'm' }, parameters: [{ id: 'a', value: 1 }, { id: 'b', value: 'a * 2' }] } as unknown as ModelJson;

describe('model document: undo/redo and dirty flag', () => {
  test('an edit is immutable, dirty, and undoable; undo back to the saved state is clean', () => {
    let doc = createDocument(model, 'm.json');
    expect(isDirty(doc)).toBe(false);
    doc = documentReducer(doc, { type: 'set', path: ['parameters', 0, 'value'], value: 5, label: 'a', at: 0 });
    expect(doc.present).not.toBe(model);
    expect((model as unknown as { parameters: { value: unknown }[] }).parameters[0].value).toBe(1);
    expect(doc.present.parameters![1]).toBe(model.parameters![1]); // untouched branches keep identity
    expect(isDirty(doc)).toBe(true);
    expect(canUndo(doc)).toBe(true);
    doc = documentReducer(doc, { type: 'undo' });
    expect(doc.present).toBe(model);
    expect(isDirty(doc)).toBe(false);
    expect(canRedo(doc)).toBe(true);
    doc = documentReducer(doc, { type: 'redo' });
    expect(doc.present.parameters![0].value).toBe(5);
    expect(isDirty(doc)).toBe(true);
  });

  test('typing in one field within the coalescing window is one undo step; another field is another', () => {
    let doc = createDocument(model, 'm.json');
    doc = documentReducer(doc, { type: 'set', path: ['parameters', 0, 'value'], value: 1.5, label: 'a', at: 1000 });
    doc = documentReducer(doc, { type: 'set', path: ['parameters', 0, 'value'], value: 1.55, label: 'a', at: 1000 + COALESCE_MS / 2 });
    expect(doc.past).toHaveLength(1);
    doc = documentReducer(doc, { type: 'set', path: ['parameters', 1, 'value'], value: 'a * 3', label: 'b', at: 1200 });
    expect(doc.past).toHaveLength(2);
    doc = documentReducer(doc, { type: 'set', path: ['parameters', 1, 'value'], value: 'a * 4', label: 'b', at: 1200 + COALESCE_MS * 2 });
    expect(doc.past).toHaveLength(3);
    doc = documentReducer(doc, { type: 'undo' });
    doc = documentReducer(doc, { type: 'undo' });
    doc = documentReducer(doc, { type: 'undo' });
    expect(doc.present).toBe(model);
  });

  test('a new edit clears the redo stack; saving marks clean; history is bounded', () => {
    let doc = createDocument(model, 'm.json');
    doc = documentReducer(doc, { type: 'set', path: ['metadata', 'name'], value: 'x', label: 'name', at: 0 });
    doc = documentReducer(doc, { type: 'undo' });
    doc = documentReducer(doc, { type: 'set', path: ['metadata', 'name'], value: 'y', label: 'name', at: 10_000 });
    expect(canRedo(doc)).toBe(false);
    doc = documentReducer(doc, { type: 'saved', fileName: 'n.json', filePath: '/tmp/n.json' });
    expect(isDirty(doc)).toBe(false);
    expect(doc.fileName).toBe('n.json');
    doc = documentReducer(doc, { type: 'undo' });
    expect(isDirty(doc)).toBe(true);
    for (let i = 0; i < MAX_HISTORY + 50; i++) doc = documentReducer(doc, { type: 'replace', model: { ...doc.present }, label: `r${i}`, at: i });
    expect(doc.past.length).toBe(MAX_HISTORY);
  });

  test('a recovered document opens dirty; opening a file resets history', () => {
    let doc = createDocument(model, 'm.json');
    doc = documentReducer(doc, { type: 'set', path: ['metadata', 'name'], value: 'x', label: 'name' });
    doc = documentReducer(doc, { type: 'open', model, fileName: 'r.json', filePath: null, dirty: true });
    expect(isDirty(doc)).toBe(true);
    expect(canUndo(doc)).toBe(false);
    doc = documentReducer(doc, { type: 'open', model, fileName: 'o.json', filePath: null });
    expect(isDirty(doc)).toBe(false);
  });

  test('numbers typed in fields become numbers; anything else stays an expression', () => {
    expect(parseNumberOrExpression('12')).toBe(12);
    expect(parseNumberOrExpression(' -1.5e-3 ')).toBe(-0.0015);
    expect(parseNumberOrExpression('.5')).toBe(0.5);
    expect(parseNumberOrExpression('C')).toBe('C');
    expect(parseNumberOrExpression('1/3')).toBe('1/3');
    expect(parseNumberOrExpression('')).toBe('');
    expect(serialiseModel(model).endsWith('}\n')).toBe(true);
  });
});
