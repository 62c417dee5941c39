/**
 * Problems found in a model, reported all together. Each names where it is: a JSON pointer into
 * the model file (RFC 6901, e.g. `/markovModels/0/transitions/3/probability`) and, where one is
 * involved, the parameter. Nothing here carries a stack trace: the UI and CLI print these as they are.
 */
export type ModelIssue = {
  /** JSON pointer to the offending value; '' for the whole file. */
  path: string;
  message: string;
  /** The parameter involved, if any. */
  parameter?: string;
  severity: 'error' | 'warning';
};

/** Thrown by the engine when a model cannot be compiled or evaluated. */
export class ModelError extends Error {
  readonly issues: ModelIssue[];
  constructor(issues: ModelIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ModelError';
    this.issues = issues;
  }
}

export function formatIssue(issue: ModelIssue): string {
  const where = issue.path === '' ? '(model)' : issue.path;
  const param = issue.parameter ? ` [parameter ${issue.parameter}]` : '';
  return `${where}${param}: ${issue.message}`;
}

/** Build a JSON pointer from path segments, escaping '~' and '/' as RFC 6901 requires. */
export function toJsonPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function issue(path: ReadonlyArray<string | number> | string, message: string, parameter?: string): ModelIssue {
  return {
    path: typeof path === 'string' ? path : toJsonPointer(path),
    message,
    ...(parameter !== undefined ? { parameter } : {}),
    severity: 'error',
  };
}
