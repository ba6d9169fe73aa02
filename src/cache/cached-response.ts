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

/** A miss being loaded: its facts first, then its body. */
interface Load<F> {
  facts: Promise<F>;
  body: Promise<CachedBody<F>>;
}

/** Loads under way per cache and key: concurrent misses of one answer share one load. */
const loading = new WeakMap<ReadCache, Map<string, Load<unknown>>>();

export async function sendCached<F>(cache: ReadCache | null, request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer<F>): Promise<FastifyReply> {
  const hit = cache?.get<CachedBody<F>>(answer.key);
  if (hit) {
    await answer.authorize(hit.facts);
    return sendBody(request, reply, hit.body, hit.etag);
  }
  // A list nobody has read since it changed is often asked for by many at once (a dashboard, a
  // poll): one load serves them all. Each request is authorised on its own, from the facts, and
  // a refused one answers as soon as they are known, without waiting for the body; the body does
  // not depend on who asks, only on whether they may.
  const load = cache ? sharedLoad(cache, answer, reply) : newLoad(null, answer, reply);
  await answer.authorize(await load.facts);
  const loaded = await load.body;
  return sendBody(request, reply, loaded.body, loaded.etag);
}

function sharedLoad<F>(cache: ReadCache, answer: CachedAnswer<F>, reply: FastifyReply): Load<F> {
  let loads = loading.get(cache);
  if (!loads) loading.set(cache, (loads = new Map()));
  const running = loads.get(answer.key) as Load<F> | undefined;
  if (running) return running;
  const load = newLoad(cache, answer, reply);
  loads.set(answer.key, load);
  const forget = () => {
    if (loads.get(answer.key) === load) loads.delete(answer.key);
  };
  load.body.then(forget, forget);
  return load;
}

function newLoad<F>(cache: ReadCache | null, answer: CachedAnswer<F>, reply: FastifyReply): Load<F> {
  const stamp = cache?.stamp() ?? 0;
  // The route's 200 serializer, taken now: this reply may have answered 403 by the time the body is ready.
  const serialize = reply.getSerializationFunction('200') as ((payload: unknown) => string) | undefined;
  if (!serialize) throw new Error(`${reply.request.url}: a cached answer needs the route's 200 response schema`);
  const facts = answer.facts();
  const body = facts.then(async (known) => {
    const rendered = render(known, await answer.payload(known), serialize);
    cache?.set(answer.key, rendered, { size: rendered.body.length + 256, tags: answer.tags, stamp });
    return rendered;
  });
  // A refused caller does not wait for the body: its failure must not go unhandled.
  body.catch(() => {});
  return { facts, body };
}

function render<F>(facts: F, payload: unknown, serialize: (payload: unknown) => string): CachedBody<F> {
  const body = Buffer.from(serialize(payload), 'utf8');
  return { facts, body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
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
