/** A JetStream consumer's filter: one subject, or (servers from 2.10 on) several. */
export interface ConsumerFilter {
  filter_subject?: string;
  filter_subjects?: string[];
}

const TOKENS = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/;

/** `q` takes every type `p` takes (typeMatches' prefix rule). */
const covers = (q: string, p: string) => (q.endsWith('.') ? p.startsWith(q) : p.startsWith(`${q}.`));

/**
 * The subjects under `root` (`<root>.<tenant>.<type>`) that carry exactly the types
 * `typeMatches(type, types)` accepts: `call.` is `*.call.>`, `call.ended` is `*.call.ended`
 * and `*.call.ended.>`. Prefixes another one covers are dropped, since JetStream refuses
 * overlapping filters; a prefix that is no subject (a wildcard, an empty token) means all.
 */
export function typeSubjects(root: string, types: readonly string[] | undefined): string[] {
  const all = [`${root}.>`];
  if (!types || types.length === 0 || types.some((p) => p === '*' || p === '' || !TOKENS.test(p))) return all;
  const unique = [...new Set(types)];
  const kept = unique.filter((p) => !unique.some((q) => q !== p && covers(q, p)));
  const subjects = kept.flatMap((p) => (p.endsWith('.') ? [`${root}.*.${p}>`] : [`${root}.*.${p}`, `${root}.*.${p}.>`]));
  return [...new Set(subjects)];
}

/**
 * The narrowest filter the server takes for these types; the consumer drops the rest itself.
 * Without multi-subject filters that is the subjects' common leading tokens, then `>`:
 * `routing.queued` and `routing.completed` share `*.routing.>`.
 */
export function consumerFilter(root: string, types: readonly string[] | undefined, multi: boolean): ConsumerFilter {
  const subjects = typeSubjects(root, types);
  if (subjects.length === 1) return { filter_subject: subjects[0] };
  if (multi) return { filter_subjects: subjects };
  const split = subjects.map((s) => s.split('.'));
  // `>` must stand for at least one token of every subject, and a subject's own `>` ends what is shared.
  const room = Math.min(...split.map((t) => t.length - 1));
  let common = 0;
  while (common < room && split.every((t) => t[common] !== '>' && t[common] === split[0]![common])) common++;
  return { filter_subject: `${split[0]!.slice(0, common).join('.')}.>` };
}

const subjectsOf = (f: ConsumerFilter) => (f.filter_subjects?.length ? [...f.filter_subjects] : f.filter_subject ? [f.filter_subject] : []).sort();

export function sameFilter(a: ConsumerFilter, b: ConsumerFilter): boolean {
  const x = subjectsOf(a);
  const y = subjectsOf(b);
  return x.length === y.length && x.every((s, i) => s === y[i]);
}
