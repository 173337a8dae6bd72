/**
 * Fix edits for compose services, made as text insertions that keep every other byte, comment and layout as it is.
 * Where an edit would be ambiguous (a flow-style service, a key merged from an anchor or another file, a scalar
 * where a list is expected) no edit is offered: the finding's fix text says what to do.
 */
import { composeOf, type Project } from '../model/project.js';
import type { Service } from '../model/service.js';
import type { PEntry } from '../parse/compose.js';
import type { LineIndex } from '../text.js';
import { insertAfter, type Edit } from '../fix.js';

function linesOf(project: Project, file: string): LineIndex | undefined {
  return composeOf(project, file)?.lines;
}

/** Own keys of the service, written inside its own block (not merged in from an anchor or an override file). */
function ownEntries(s: Service): PEntry[] {
  return [...s.node.entries.values()].filter((e) => isOwn(s, e));
}

function isOwn(s: Service, e: PEntry): boolean {
  return e.keyLoc.file === s.loc.file && e.keyLoc.line > s.loc.line && e.keyLoc.line <= s.node.loc.endLine;
}

/** `key: value` as a new line under the service key. */
export function addKey(project: Project, s: Service, key: string, value: string): Edit[] | undefined {
  const lines = linesOf(project, s.loc.file);
  if (!lines || lines.lineCount <= s.loc.line) return undefined;
  if ([...s.node.entries.values()].some((e) => e.keyLoc.file === s.loc.file && e.keyLoc.line === s.loc.line)) return undefined; // flow style
  const own = ownEntries(s);
  const first = own.sort((a, b) => a.keyLoc.line - b.keyLoc.line)[0];
  const indent = first ? first.keyLoc.column - 1 : s.loc.column + 1;
  return [insertAfter(s.loc.file, s.loc.line + 1, 1, `${lines.lineText(s.loc.line)}\n`, `${' '.repeat(indent)}${key}: ${value}\n`)];
}

/** Adds an item to a list key of the service, creating `key: [item]` when absent. */
export function addListItem(project: Project, s: Service, key: string, item: string): Edit[] | undefined {
  const entry = s.node.entries.get(key);
  if (!entry) return addKey(project, s, key, `[${item}]`);
  if (!isOwn(s, entry)) return undefined;
  const lines = linesOf(project, s.loc.file);
  const v = entry.value;
  if (!lines || v.kind !== 'seq') return undefined;
  const at = lines.lineText(v.loc.line);
  if (at[v.loc.column - 1] === '[') {
    return [insertAfter(s.loc.file, v.loc.line, v.loc.column + 1, '[', v.items.length ? `${item}, ` : item)];
  }
  const last = v.items[v.items.length - 1];
  if (!last || lines.lineCount <= last.loc.endLine) return undefined;
  const prefix = lines.lineText(last.loc.line).slice(0, last.loc.column - 1);
  if (!/^\s*-\s+$/.test(prefix)) return undefined;
  return [insertAfter(s.loc.file, last.loc.endLine + 1, 1, `${lines.lineText(last.loc.endLine)}\n`, `${prefix}${item}\n`)];
}

/** Replaces a scalar value written in the service's own file. */
export function replaceValue(project: Project, s: Service, key: string, text: string): Edit[] | undefined {
  const entry = s.node.entries.get(key);
  const lines = linesOf(project, s.loc.file);
  if (!entry || !lines || !isOwn(s, entry) || entry.value.kind !== 'scalar') return undefined;
  const v = entry.value.loc;
  if (v.line !== v.endLine) return undefined;
  const old = lines.lineText(v.line).slice(v.column - 1, v.endColumn - 1);
  return [{ file: s.loc.file, line: v.line, column: v.column, endLine: v.endLine, endColumn: v.endColumn, text, anchor: old }];
}

/**
 * One problem, one finding: a service of an override stack (base + `compose.gpu.yml`) whose overrides set none of
 * `keys`, where the base file alone is a production stack of its own that defines the service: the finding is the
 * base stack's, at the base file (the fix there covers both).
 */
export function repeatsBase(project: Project, s: Service, keys: readonly string[]): boolean {
  const entry = project.services.find((e) => e.service === s);
  const files = entry?.stack?.files;
  if (!files || files.length < 2) return false;
  if (!project.stacks.some((st) => st.production && st.files.length === 1 && st.files[0] === files[0])) return false;
  const servicesOf = (file: string): Map<string, PEntry> | undefined => {
    const v = composeOf(project, file)?.root?.entries.get('services')?.value;
    return v?.kind === 'map' ? v.entries : undefined;
  };
  if (!servicesOf(files[0]!)?.has(s.name)) return false;
  // The base stack's service is judged (in scope, a production runtime): the finding is made there.
  if (!project.services.some((e) => e.service !== s && e.service.name === s.name && e.runtime && e.development === undefined && e.stack?.files.length === 1 && e.stack.files[0] === files[0])) return false;
  return files.slice(1).every((f) => {
    const svc = servicesOf(f)?.get(s.name)?.value;
    return svc === undefined || (svc.kind === 'map' && keys.every((k) => !svc.entries.has(k)) && !svc.entries.has('extends'));
  });
}
