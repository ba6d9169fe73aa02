// Arrays sent to PostgreSQL as one literal joined natively, not as JavaScript arrays (which pg
// escapes element by element in JavaScript: measured as the larger part of a re-score batch's
// write time). Only for values that never need quoting inside an array literal.

/**
 * `open` + the values joined by commas + `close`, as one flat string. The brackets join the first
 * and last values, so the text comes out of one `join`: `${open}${values.join(',')}${close}` made
 * a rope that pg's writer copied whole into a new string (megabytes per re-score batch, each
 * promoted straight to the old generation).
 */
export function bracketedJoin(values: readonly (string | number)[], open: string, close: string): string {
  if (values.length === 0) return open + close;
  const parts: (string | number)[] = values.slice();
  parts[0] = `${open}${parts[0]}`;
  parts[parts.length - 1] = `${parts[parts.length - 1]}${close}`;
  return parts.join(',');
}

/** `{a,b,c}` for uuids, ISO timestamps, finite numbers and identifiers without spaces, commas, quotes or braces. */
export function plainArray(values: readonly (string | number)[]): string {
  return bracketedJoin(values, '{', '}');
}
