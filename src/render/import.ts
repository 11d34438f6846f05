/**
 * What `import` prints: pure functions of its report. Variable names are printed so the user
 * can set them; their values (what Intuned holds) never are, and nothing here is given them.
 */
import { escapeControl } from '../errors.js';
import { plural } from '../engine/words.js';
import type { KindName } from '../resources/kind.js';

export interface ImportReport {
  kind: KindName;
  /** For sentences: "job", "auth session". */
  noun: string;
  written: { id: string; file: string; env: string[] }[];
  /** Not asked for by ID and not manageable from a file. */
  skipped: { id: string; reason: string }[];
  failed: { id: string; reason: string }[];
}

/** Every variable the written files reference, in the order they were named. */
export function importVariables(report: ImportReport): string[] {
  return report.written.flatMap((entry) => entry.env);
}

function counted(count: number, noun: string): string {
  return `${count} ${plural(count, noun)}`;
}

function summary(report: ImportReport): string {
  const { written, failed, noun } = report;
  if (written.length === 0 && failed.length === 0) {
    const other = report.skipped.length > 0 ? ' other' : '';
    return `Nothing to import: every${other} ${noun} in Intuned is declared by a file or managed by intuned-gitops.`;
  }
  const failures = failed.length > 0 ? `; ${counted(failed.length, noun)} failed` : '';
  if (written.length === 0) return `Imported nothing${failures}.`;
  const adopted =
    report.kind === 'auth-session'
      ? "Intuned never returns a session's parameters, so each file is a skeleton: write the parameters your create code expects (the placeholders' names are a guess). The next apply runs each login once with them to adopt the session."
      : `The next apply adopts ${written.length === 1 ? 'it as it is' : 'them as they are'}: an update or nothing, never a create.`;
  return `Imported ${counted(written.length, noun)}${failures}. ${adopted}`;
}

/** Failures, one line each, for stderr. */
export function renderImportErrors(report: ImportReport): string {
  return report.failed.map((entry) => `error: ${escapeControl(entry.reason)}\n`).join('');
}

export function renderImportText(report: ImportReport): string {
  const lines = [
    ...report.written.map((entry) => `wrote ${entry.file}`),
    ...report.skipped.map((entry) => `skipped ${entry.reason}`),
    summary(report),
  ];
  const variables = importVariables(report);
  if (variables.length > 0) {
    const why = report.kind === 'auth-session' ? 'the placeholders read them' : 'the secrets Intuned holds are not written in the files';
    lines.push(`Set these variables before the next apply (${why}):`, ...variables.map((name) => `  ${name}`));
  }
  return lines.map((line) => `${escapeControl(line)}\n`).join('');
}

export function renderImportJson(report: ImportReport): string {
  const document = {
    formatVersion: 1,
    kind: report.kind,
    written: report.written,
    skipped: report.skipped,
    failed: report.failed,
    env: importVariables(report),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
