/** A zod issue's path as a technician reads it: rules[1].when.age. Pure, so the console formats a draft's problems as the loader does. */
export function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
