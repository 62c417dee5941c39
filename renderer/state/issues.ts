// Index of validation issues by JSON pointer, so each field can show its own problems.
import type { ModelIssue } from '../../models/index';

export type IssueIndex = {
  all: ModelIssue[];
  /** Issues whose path is exactly this pointer (first occurrence of each distinct message kept). */
  at(pointer: string): ModelIssue[];
  /** Issues at this pointer or below it. */
  under(pointer: string): ModelIssue[];
  /** Issues naming a parameter id. */
  forParameter(id: string): ModelIssue[];
  errorCount: number;
};

/** Repeated per-cycle messages ("… at cycle 7 for strategy 'x'") collapse to one per path. */
function family(message: string): string {
  return message.replace(/ at cycle \d+/g, '').replace(/ for strategy '[^']*'/g, '').replace(/-?\d+\.\d+/g, '#');
}

export function indexIssues(issues: ModelIssue[]): IssueIndex {
  const byPath = new Map<string, ModelIssue[]>();
  const byParameter = new Map<string, ModelIssue[]>();
  const seen = new Set<string>();
  const unique: ModelIssue[] = [];
  for (const issue of issues) {
    const key = issue.path + '\u0000' + family(issue.message);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(issue);
    const list = byPath.get(issue.path) ?? [];
    list.push(issue);
    byPath.set(issue.path, list);
    if (issue.parameter) {
      const p = byParameter.get(issue.parameter) ?? [];
      p.push(issue);
      byParameter.set(issue.parameter, p);
    }
  }
  const empty: ModelIssue[] = [];
  return {
    all: unique,
    at: (pointer) => byPath.get(pointer) ?? empty,
    under: (pointer) => unique.filter((i) => i.path === pointer || i.path.startsWith(pointer + '/')),
    forParameter: (id) => byParameter.get(id) ?? empty,
    errorCount: unique.filter((i) => i.severity === 'error').length,
  };
}

export const NO_ISSUES: IssueIndex = indexIssues([]);
