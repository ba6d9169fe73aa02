// One error handler for the whole API: maps validation, parser, database and our own typed errors
// to RFC 9457 problem details. 5xx internals are logged, never sent.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem, PROBLEM_BASE, badRequest, conflict, unavailable, type FieldError } from '../errors.js';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

// PostgreSQL SQLSTATE codes that mean "the caller sent something the constraints refuse".
const PG_INPUT_ERRORS = new Set(['22001', '22003', '22007', '22008', '22P02', '22021', '23502', '23514', '54000']);
// Codes and messages that mean the database is unreachable or restarting: retryable, 503.
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006']);
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

function isDatabaseUnavailable(error: Error & PgError): boolean {
  if (error.code && (PG_UNAVAILABLE.has(error.code) || NETWORK_ERRORS.has(error.code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|Connection is closed|Stream isn't writeable|enableOfflineQueue/i.test(
    error.message,
  );
}

function validationErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((v) => {
    const missing = v.keyword === 'required' ? `/${String((v.params as { missingProperty?: string }).missingProperty ?? '')}` : '';
    const extra =
      v.keyword === 'additionalProperties' ? `/${String((v.params as { additionalProperty?: string }).additionalProperty ?? '')}` : '';
    const field = `${v.instancePath}${missing}${extra}` || '/';
    const message = v.keyword === 'additionalProperties' ? 'is not an allowed field' : (v.message ?? 'is invalid');
    return { field, message };
  });
}

/** Translates any thrown error into the problem it stands for. */
export function toProblem(error: FastifyError & PgError): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    return badRequest(`The ${where} is invalid`, validationErrors(error));
  }
  if (error.code === '23505') {
    const field = error.constraint === 'companies_org_number_key' ? '/orgNumber' : '/';
    return conflict('A resource with the same unique value already exists', [{ field, message: 'is already registered' }]);
  }
  if (error.code === '23503') return conflict('The request refers to a resource that does not exist or was just deleted');
  if (error.code && PG_INPUT_ERRORS.has(error.code)) return badRequest('A value is out of range or malformed');
  if (isDatabaseUnavailable(error)) return unavailable('A backing service (database or queue) is unavailable; retry shortly');
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const slug = status === 413 ? 'payload-too-large' : status === 415 ? 'unsupported-media-type' : status === 429 ? 'rate-limited' : 'bad-request';
    return new HttpProblem(status, slug, titleFor(status), error.message);
  }
  return new HttpProblem(500, 'internal', 'Internal Server Error', 'An unexpected error occurred; it has been logged');
}

function titleFor(status: number): string {
  return (
    { 400: 'Bad request', 404: 'Not found', 405: 'Method not allowed', 413: 'Payload too large', 415: 'Unsupported media type', 429: 'Too many requests' }[
      status
    ] ?? 'Client error'
  );
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpProblem) {
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type('application/problem+json')
    .send({
      type: problem.type,
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...(problem.errors?.length ? { errors: problem.errors } : {}),
    });
}

export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError & PgError, request, reply) => {
      const problem = toProblem(error);
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ status: problem.status, type: problem.type }, 'request rejected');
      return sendProblem(request, reply, problem);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, new HttpProblem(404, 'not-found', 'Not found', `No route for ${request.method} ${request.url.split('?')[0]}`)),
    );
  },
  { name: 'error-handler' },
);

export { PROBLEM_BASE };
