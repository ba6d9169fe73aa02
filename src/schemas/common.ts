// Shared schema building blocks: ids, pagination and RFC 9457 problem details. Declared once and
// registered with `$id` so the OpenAPI document references them instead of repeating them.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PROBLEM_EXAMPLE } from './examples.js';

/** A string enum as `{ type: 'string', enum: [...] }` (clean OpenAPI) with its literal union type. */
export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Uuid = Type.String({
  format: 'uuid',
  description: 'UUID',
  examples: ['0192f1c4-6b7a-7cc3-9f5e-2b1a4d3c5e6f'],
});

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 UTC timestamp' });

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the problem type', examples: ['https://koblingsboks.no/problems/validation'] }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ description: 'JSON pointer-ish path of the bad field, e.g. /orgNumber' }),
          message: Type.String(),
        }),
      ),
    ),
  },
  { $id: 'Problem', title: 'Problem', description: 'RFC 9457 problem details', examples: [PROBLEM_EXAMPLE] },
);
export type Problem = Static<typeof ProblemSchema>;

export const ProblemRef = Type.Ref('Problem');

export const PaginationQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (max 100)' }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'Opaque cursor from the previous page' })),
  },
  { additionalProperties: false },
);
export type PaginationQuery = Static<typeof PaginationQuery>;

export function Page<T extends TSchema>(item: T, name: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Cursor of the next page, or null on the last page' }),
    },
    { title: name },
  );
}

/** Error responses every authenticated route can produce. */
export const commonErrors = {
  400: ProblemRef,
  401: ProblemRef,
  403: ProblemRef,
  422: ProblemRef,
  429: ProblemRef,
  503: ProblemRef,
} as const;
