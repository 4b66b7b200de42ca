import type { Report, ReportEntity } from '@port-gitops/core';
import { code, plain } from './markdown.js';
import { impactOf } from './render.js';

/** A change of at most this many entities is listed in full, unfolded. */
const SMALL_CHANGE = 20;
/** Past that, each kind's list is folded and shows its first entries; the JSON report has them all. */
const LISTED_PER_KIND = 50;
const FIELDS_LISTED = 20;
const MAX_SHOWN_VALUE = 60;

type Kind = 'create' | 'update' | 'delete';
const KINDS: Kind[] = ['create', 'update', 'delete'];
const VERB: Record<Kind, { one: string; many: string }> = {
  create: { one: 'creation', many: 'creations' },
  update: { one: 'update', many: 'updates' },
  delete: { one: 'deletion', many: 'deletions' },
};

/**
 * What merging would change in Port, as Markdown for a pull request's reviewers (the step summary, a
 * comment): creates, updates with their field changes, deletes. A small change is listed in full; a large
 * one gives its counts first (by blueprint, and the fields its updates touch), then each kind folded; with
 * `countsOnly`, the counts by blueprint alone, for a place too small for the rest. When nothing would
 * change it says so in one line. Text from files is escaped: it cannot break the layout.
 */
export function planMarkdown(report: Report, options: { countsOnly?: boolean } = {}): string {
  const changed = (kind: Kind) => report.entities.filter((e) => e.change === kind);
  const byKind = Object.fromEntries(KINDS.map((kind) => [kind, changed(kind)])) as Record<Kind, ReportEntity[]>;
  const total = KINDS.reduce((sum, kind) => sum + byKind[kind].length, 0);
  const s = report.summary;
  const counts = KINDS.filter((kind) => byKind[kind].length > 0)
    .map((kind) => `${number(byKind[kind].length)} to ${kind}`)
    .join(', ');
  const blueprintChanges = report.blueprints?.length ?? 0;
  const heading = [
    ...(blueprintChanges > 0
      ? [`${number(blueprintChanges)} ${plural(blueprintChanges, 'blueprint change', 'blueprint changes')}`]
      : []),
    ...(total > 0 ? [counts] : []),
  ];
  const lines = [`### port-gitops plan: ${heading.length === 0 ? 'no change in Port' : heading.join(', ')}`, ''];
  const scope =
    report.mode === 'all' ? 'All entity files' : `The change ${code(`${short(report.base)}..${short(report.head)}`)}`;
  lines.push(
    `${scope}: ${number(s.entities)} ${plural(s.entities, 'entity', 'entities')} in ${number(s.files)} ${plural(s.files, 'file', 'files')}, ${number(s.unchanged)} unchanged.`,
  );
  if (s.invalid > 0) {
    lines.push(
      '',
      `**${number(s.invalid)} invalid ${plural(s.invalid, 'file is', 'files are')} not in this plan**: ${plural(s.invalid, 'its', 'their')} entities would not be pushed (the check lists the problems).`,
    );
  }
  lines.push(...blueprintLines(report));
  if (total === 0) return `${lines.join('\n')}\n`;

  if (total <= SMALL_CHANGE && !options.countsOnly) {
    lines.push('', '| | entity | file | changes |', '|---|---|---|---|');
    for (const kind of KINDS) for (const entity of byKind[kind]) lines.push(row(entity, kind, true));
    return `${lines.join('\n')}\n`;
  }

  lines.push('', '| blueprint | create | update | delete |', '|---|--:|--:|--:|');
  const blueprints = [
    ...new Set(report.entities.filter((e) => e.change && e.change !== 'unchanged').map((e) => e.blueprint ?? '')),
  ].sort();
  for (const blueprint of blueprints) {
    const cells = KINDS.map((kind) => number(byKind[kind].filter((e) => e.blueprint === blueprint).length));
    lines.push(`| ${code(blueprint)} | ${cells.join(' | ')} |`);
  }
  if (options.countsOnly) return `${lines.join('\n')}\n`;
  const fields = new Map<string, number>();
  for (const entity of byKind.update)
    for (const change of entity.diff ?? []) fields.set(change.path, (fields.get(change.path) ?? 0) + 1);
  if (fields.size > 0) {
    lines.push('', '| field | updated on |', '|---|--:|');
    const ranked = [...fields].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [path, count] of ranked.slice(0, FIELDS_LISTED)) lines.push(`| ${code(path)} | ${number(count)} |`);
    if (ranked.length > FIELDS_LISTED) lines.push(`| …${number(ranked.length - FIELDS_LISTED)} more fields | |`);
  }
  for (const kind of KINDS) {
    const entities = byKind[kind];
    if (entities.length === 0) continue;
    const label = `${number(entities.length)} ${plural(entities.length, VERB[kind].one, VERB[kind].many)}`;
    lines.push('', `<details><summary>${label}</summary>`, '', '| entity | file | changes |', '|---|---|---|');
    for (const entity of entities.slice(0, LISTED_PER_KIND)) lines.push(row(entity, kind, false));
    if (entities.length > LISTED_PER_KIND)
      lines.push(
        `| …and ${number(entities.length - LISTED_PER_KIND)} more | | the JSON report (\`--report\`) lists every one |`,
      );
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * With `manageBlueprints`: the changes to Port's blueprints, most serious first, each with its class and
 * why; blocked and destructive ones named in bold, since merging them is what a reviewer must weigh.
 */
function blueprintLines(report: Report): string[] {
  const changes = report.blueprints ?? [];
  if (changes.length === 0) return report.blueprints ? ['', "Blueprints: the managed definitions match Port's."] : [];
  const order = ['blocked', 'destructive', 'breaking', 'safe'];
  const sorted = [...changes].sort((a, b) => order.indexOf(a.class) - order.indexOf(b.class));
  const lines = ['', '| blueprint | where | class | why |', '|---|---|---|---|'];
  for (const change of sorted.slice(0, LISTED_PER_KIND)) {
    const cls = change.class === 'blocked' || change.class === 'destructive' ? `**${change.class}**` : change.class;
    lines.push(
      `| ${code(change.blueprint)} | ${change.path ? code(change.path) : ''} | ${cls} | ${plain(change.reason + impactOf(change))} |`,
    );
  }
  if (sorted.length > LISTED_PER_KIND)
    lines.push(
      `| …and ${number(sorted.length - LISTED_PER_KIND)} more | | | the JSON report (\`--report\`) lists every one |`,
    );
  return lines;
}

function row(entity: ReportEntity, kind: Kind, withKind: boolean): string {
  const name = code(`${entity.blueprint}/${entity.identifier}`);
  const file = entity.file ? (kind === 'delete' ? `was in ${code(entity.file)}` : code(entity.file)) : '';
  const changes =
    kind === 'update'
      ? (entity.diff ?? []).map((d) => `${code(d.path)}: ${code(shown(d.from))} → ${code(shown(d.to))}`).join('<br>')
      : '';
  return `| ${withKind ? `${kind} | ` : ''}${name} | ${file} | ${changes} |`;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE - 1)}…` : text;
}

function short(sha: string | null): string {
  return sha ? sha.slice(0, 8) : '?';
}

function number(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
