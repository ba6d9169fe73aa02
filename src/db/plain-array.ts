// Arrays sent to PostgreSQL as one literal joined natively, not as JavaScript arrays (which pg
// escapes element by element in JavaScript: measured as the larger part of a re-score batch's
// write time). Only for values that never need quoting inside an array literal.

/** `{a,b,c}` for uuids, ISO timestamps, finite numbers and identifiers without spaces, commas, quotes or braces. */
export const plainArray = (values: readonly (string | number)[]): string => `{${values.join(',')}}`;
