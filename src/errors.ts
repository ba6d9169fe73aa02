// Typed HTTP errors. Each carries its status and a stable problem `type`; the error handler
// (src/plugins/error-handler.ts) renders every one of them as RFC 9457 problem details.
export interface FieldError {
  field: string;
  message: string;
}

export const PROBLEM_BASE = 'https://koblingsboks.no/problems/';

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
  get type(): string {
    return PROBLEM_BASE + this.slug;
  }
}

export const notFound = (what: string, id: string) => new HttpProblem(404, 'not-found', 'Not found', `${what} ${id} does not exist`);
export const conflict = (detail: string, errors?: FieldError[]) => new HttpProblem(409, 'conflict', 'Conflict', detail, errors);
export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(400, 'validation', 'Invalid request', detail, errors);
export const unauthorized = (detail: string) =>
  new HttpProblem(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (detail: string) => new HttpProblem(403, 'forbidden', 'Forbidden', detail);
export const unavailable = (detail: string, retryAfterSeconds = 5) =>
  new HttpProblem(503, 'unavailable', 'Service unavailable', detail, undefined, { 'retry-after': String(retryAfterSeconds) });
