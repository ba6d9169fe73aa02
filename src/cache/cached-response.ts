// Serves a GET answer from the read cache when it can. What is cached is the rendered body (as the
// route's response schema serialises it) with the facts its authorisation needs; every request
// is still authorised, from those facts. Every answer carries an ETag, so a client polling a list
// gets 304 Not Modified, without a body, until it changes.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReadCache } from './read-cache.js';

interface CachedBody<F> {
  facts: F;
  /** UTF-8 bytes, so a hit neither encodes nor measures the text again. */
  body: Buffer;
  etag: string;
}

export interface CachedAnswer<F> {
  /** Names the answer: the same key must always mean the same body for the same data. */
  key: string;
  /** Ids whose change makes the answer stale (see migration 0014 for what is announced). */
  tags: readonly string[];
  /** What authorising the request needs (e.g. the listing's company and visibility); throws 404 when absent. */
  facts(): Promise<F>;
  /** Throws 403/404 when the caller may not have the answer. */
  authorize(facts: F): Promise<void>;
  payload(facts: F): Promise<unknown>;
}

export async function sendCached<F>(cache: ReadCache | null, request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer<F>): Promise<FastifyReply> {
  const hit = cache?.get<CachedBody<F>>(answer.key);
  if (hit) {
    await answer.authorize(hit.facts);
    return sendBody(request, reply, hit.body, hit.etag);
  }
  const stamp = cache?.stamp() ?? 0;
  const facts = await answer.facts();
  await answer.authorize(facts);
  const body = Buffer.from(reply.serialize(await answer.payload(facts)) as string, 'utf8');
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  cache?.set(answer.key, { facts, body, etag }, { size: body.length + 256, tags: answer.tags, stamp });
  return sendBody(request, reply, body, etag);
}

function sendBody(request: FastifyRequest, reply: FastifyReply, body: Buffer, etag: string): FastifyReply {
  // private: the answer depends on who asks; no-cache: a client may keep it, but must revalidate.
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
