import type { LoadedFile, Problem, Selection } from '../model.js';
import type { BlueprintChange, FieldChange, PushResult } from '../plan/index.js';
import type { EntityChanges } from '../select/index.js';
import type { ValidationResult } from '../validate/index.js';

type Command = 'sync' | 'check' | 'plan' | 'list';

/** The branch's watermark in Port, before and after a sync in CI. */
export interface WatermarkReport {
  branch: string;
  /** The commit it held when the run started, and holds now. */
  before: string | null;
  after: string | null;
  moved: boolean;
  /** Why it did not move, when it did not. */
  reason?: string;
}

export interface ReportEntity {
  file: string;
  blueprint: string | null;
  identifier: string | null;
  action: 'upsert' | 'delete' | 'none';
  result: 'ok' | 'failed' | 'skipped' | 'planned';
  error?: { status: number; code: string; message: string };
  /** Why it was skipped, when that needs saying. */
  reason?: string;
  /** plan and --skip-unchanged: compared with the live entity. */
  change?: PushResult['change'];
  diff?: FieldChange[];
}

/** What became of one file matching `include`. */
export interface ReportFile {
  path: string;
  /**
   * `loaded` (its entities are in `entities`), `invalid` (it has errors: none of its entities is pushed),
   * `deleted` (gone in the selected change), `skipped` (left out on purpose, `reason` says why), or
   * `refused` (it cannot be an entity file; an error says why).
   */
  outcome: 'loaded' | 'invalid' | 'deleted' | 'skipped' | 'refused';
  reason?: string;
  /** loaded, invalid: how many entities it holds. */
  entities?: number;
}

export type ReportError = Pick<
  Problem,
  'file' | 'line' | 'column' | 'pointer' | 'code' | 'severity' | 'rule' | 'message' | 'hint'
>;

/** The JSON report (docs/report.md): what `--format json` prints and `--report FILE` writes. */
export interface Report {
  command: Command;
  mode: Selection['mode'];
  base: string | null;
  head: string | null;
  dryRun: boolean;
  /** Every selected file, and every file matching `include` that was not read, with what became of it. */
  files: ReportFile[];
  entities: ReportEntity[];
  errors: ReportError[];
  /** Why the selection is what it is, when that needs saying (a fallback to --all, a config change). */
  notes?: string[];
  /** A sync in CI: the branch's watermark in Port, before and after (docs/ci.md). */
  watermark?: WatermarkReport;
  /**
   * `plan` and `sync` with `manageBlueprints`: each change the managed definitions make to Port's
   * blueprints, classed safe, breaking, destructive or blocked (docs/config.md); empty when they match.
   */
  blueprints?: BlueprintChange[];
  summary: {
    files: number;
    /** Files matching `include` left out on purpose (`files[].outcome` skipped). */
    skipped: number;
    entities: number;
    upserted: number;
    deleted: number;
    unchanged: number;
    failed: number;
    invalid: number;
    durationMs: number;
  };
}

export interface ReportInput {
  command: Command;
  selection: Selection;
  dryRun: boolean;
  files: LoadedFile[];
  validation: ValidationResult;
  /** For a changed-only selection: which entities changed, which did not, which were removed. */
  changes?: EntityChanges;
  /** Absent for `check`: nothing was to be pushed. */
  pushed?: PushResult[];
  /** `plan` and `sync` with `manageBlueprints`: the changes to Port's blueprints. */
  blueprints?: BlueprintChange[];
  startedAtMs: number;
}

export function buildReport(input: ReportInput): Report {
  const entities: ReportEntity[] = [];
  const keyOf = (file: string, blueprint: string | undefined, identifier: string | undefined) =>
    `${file}\u0000${blueprint}\u0000${identifier}`;
  const upserted = new Map(
    (input.pushed ?? [])
      .filter((r) => r.operation.action === 'upsert')
      .map((r) => [keyOf(r.operation.file, r.operation.blueprint, r.operation.identifier), r]),
  );
  let unchanged = 0;
  for (const file of input.files) {
    const invalid = input.validation.invalidFiles.has(file.path);
    for (const entity of file.entities) {
      const base = { file: file.path, blueprint: entity.blueprint ?? null, identifier: entity.identifier ?? null };
      const pushed = upserted.get(keyOf(file.path, entity.blueprint, entity.identifier));
      if (invalid) {
        entities.push({ ...base, action: 'none', result: 'skipped' });
      } else if (input.changes?.unchanged.has(entity)) {
        unchanged++;
        entities.push({ ...base, action: 'none', result: 'ok' });
      } else if (pushed?.change === 'unchanged') {
        unchanged++;
        entities.push({ ...base, action: 'none', result: 'ok', change: 'unchanged' });
      } else if (pushed) {
        entities.push({ ...base, action: 'upsert', result: pushed.result, ...detailsOf(pushed) });
      } else {
        entities.push({ ...base, action: 'none', result: input.pushed ? 'skipped' : 'ok' });
      }
    }
  }
  const deletions = (input.pushed ?? []).filter((r) => r.operation.action === 'delete');
  if (input.pushed) {
    for (const pushed of deletions) {
      const { operation } = pushed;
      const where = { file: operation.file, blueprint: operation.blueprint, identifier: operation.identifier };
      // A deletion of something Port no longer holds is nothing to do.
      if (pushed.change === 'unchanged') entities.push({ ...where, action: 'none', result: 'ok', change: 'unchanged' });
      else entities.push({ ...where, action: 'delete', result: pushed.result, ...detailsOf(pushed) });
    }
  } else {
    for (const removed of input.changes?.removed ?? [])
      entities.push({ ...removed, action: 'delete', result: 'skipped' });
  }

  const files = accountFiles(input);
  const errors = input.validation.problems.map(
    ({ file, line, column, pointer, code, severity, rule, message, hint }) => ({
      file,
      line,
      column,
      pointer,
      code,
      message,
      severity,
      ...(rule ? { rule } : {}),
      ...(hint ? { hint } : {}),
    }),
  );
  const count = (predicate: (e: ReportEntity) => boolean) => entities.filter(predicate).length;
  return {
    command: input.command,
    mode: input.selection.mode,
    base: input.selection.base,
    head: input.selection.head,
    dryRun: input.dryRun,
    files,
    entities,
    errors,
    ...(input.selection.notes.length > 0 ? { notes: input.selection.notes } : {}),
    ...(input.blueprints ? { blueprints: input.blueprints } : {}),
    summary: {
      files: input.selection.files.length,
      skipped: files.filter((file) => file.outcome === 'skipped').length,
      entities: entities.length,
      upserted: count((e) => e.action === 'upsert' && e.result === 'ok'),
      deleted: count((e) => e.action === 'delete' && e.result === 'ok'),
      unchanged,
      failed: count((e) => e.result === 'failed'),
      invalid: input.validation.invalidFiles.size,
      durationMs: Math.round(performance.now() - input.startedAtMs),
    },
  };
}

/**
 * Each file's outcome: the selected ones (loaded, invalid, deleted, or skipped when they hold nothing to
 * push, like a catalog file of Location documents only), the refused ones, and those left out on purpose.
 */
function accountFiles(input: ReportInput): ReportFile[] {
  const loaded = new Map(input.files.map((file) => [file.path, file]));
  const files: ReportFile[] = [];
  for (const selected of input.selection.files) {
    if (selected.status === 'deleted') {
      files.push({ path: selected.path, outcome: 'deleted' });
      continue;
    }
    const file = loaded.get(selected.path);
    if (!file) continue;
    const unread = file.problems.find((p) => p.code === 'read' && p.severity === 'error');
    if (unread) files.push({ path: file.path, outcome: 'refused', reason: unread.message });
    else if (input.validation.invalidFiles.has(file.path))
      files.push({ path: file.path, outcome: 'invalid', entities: file.entities.length });
    else if (file.entities.length === 0)
      files.push({
        path: file.path,
        outcome: 'skipped',
        reason: !file.mapped
          ? 'it holds no entity to push (every document is of a kind the mapping skips)'
          : file.problems.some((p) => p.code === 'mapping')
            ? 'the file-kind mappings made no entity of it (its warnings say why)'
            : "the file-kind mappings' selectors leave it out",
      });
    else files.push({ path: file.path, outcome: 'loaded', entities: file.entities.length });
  }
  for (const note of input.selection.refused) files.push({ path: note.path, outcome: 'refused', reason: note.reason });
  for (const note of input.selection.skipped) files.push({ path: note.path, outcome: 'skipped', reason: note.reason });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function detailsOf(pushed: PushResult): Pick<ReportEntity, 'error' | 'reason' | 'change' | 'diff'> {
  return {
    ...(pushed.error ? { error: pushed.error } : {}),
    ...(pushed.reason ? { reason: pushed.reason } : {}),
    ...(pushed.change ? { change: pushed.change } : {}),
    ...(pushed.diff ? { diff: pushed.diff } : {}),
  };
}
