// Arrays sent to PostgreSQL as one literal joined natively, not as JavaScript arrays (which pg
// escapes element by element in JavaScript: measured as the larger part of a re-score batch's
// write time). Only for values that never need quoting inside an array literal.

/**
 * `{a,b,c}` for uuids, ISO timestamps, finite numbers and identifiers without spaces, commas,
 * quotes or braces. The braces join with the first and last values, so the literal comes out of
 * one `join` as a flat string: `{${values.join(',')}}` made a rope that pg's writer copied whole
 * into a new string (megabytes per re-score batch, each promoted straight to the old generation).
 */
export function plainArray(values: readonly (string | number)[]): string {
  if (values.length === 0) return '{}';
  const parts: (string | number)[] = values.slice();
  parts[0] = `{${parts[0]}`;
  parts[parts.length - 1] = `${parts[parts.length - 1]}}`;
  return parts.join(',');
}
