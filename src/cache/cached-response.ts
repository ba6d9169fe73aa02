// Serves a GET answer from the read cache when it can. What is cached is the rendered body (as the
// route's response schema serialises it) with the facts its authorisation needs; every request
// is still authorised, from those facts. Every answer carries an ETag, so a client polling a list
// gets 304 Not Modified, without a body, until it changes. A client that accepts brotli or gzip
// (browsers, fetch, curl --compressed) gets the body compressed, once per cached answer and
// encoding rather than once per response: a page of 20 matches is ~28 KB of JSON and ~3 KB
// compressed, and at that size writing the bytes, not computing them, was what a hit cost.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { ReadCache } from './read-cache.js';

type Encoding = 'br' | 'gzip';

const brotliCompressAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** Brotli at quality 5: ~10% larger than its maximum, at a small fraction of its time (compressing sits on the request path of a miss). */
const compressors: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) => brotliCompressAsync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => gzipAsync(body),
};

/** Smaller bodies go as they are: compressing them saves less than the headers weigh. */
export const MIN_COMPRESSED_BYTES = 1_024;

/** What a cached entry is charged for the compressed variants it may grow (JSON compresses 5–10×). */
const VARIANT_ALLOWANCE = 0.3;

/** Accept-Encoding headers are few in practice (one per client library); their negotiation is memoised. */
const encodings = new Negotiator<Encoding | 'identity'>({ supportedValues: ['br', 'gzip', 'identity'], cache: new LRUCache<string, string>({ max: 200 }) });

interface CachedBody<F> {
  facts: F;
  /** UTF-8 bytes, so a hit neither encodes nor measures the text again. */
  body: Buffer;
  etag: string;
  /** Compressed variants, made on first demand and kept with the entry. */
  compressed?: Partial<Record<Encoding, Promise<Buffer>>>;
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
    return sendBody(request, reply, hit, true);
  }
  // A list nobody has read since it changed is often asked for by many at once (a dashboard, a
  // poll): one load serves them all. Each request is authorised on its own, from the facts, and
  // a refused one answers as soon as they are known, without waiting for the body; the body does
  // not depend on who asks, only on whether they may.
  const load = cache ? sharedLoad(cache, answer, reply) : newLoad(null, answer, reply);
  await answer.authorize(await load.facts);
  return sendBody(request, reply, await load.body, cache !== null);
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
    cache?.set(answer.key, rendered, { size: Math.ceil(rendered.body.length * (1 + VARIANT_ALLOWANCE)) + 256, tags: answer.tags, stamp });
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

/**
 * Sends the body, compressed when the client accepts it and the entry is kept (without a cache,
 * every response would pay for compressing again). Each encoding has its own strong ETag, as a
 * representation must; a client revalidating any of them gets 304 while the content is the same.
 */
async function sendBody(request: FastifyRequest, reply: FastifyReply, entry: CachedBody<unknown>, kept: boolean): Promise<FastifyReply> {
  const encoding = kept && entry.body.length >= MIN_COMPRESSED_BYTES ? negotiatedEncoding(request.headers['accept-encoding']) : null;
  const etag = encoding ? `${entry.etag.slice(0, -1)}-${encoding}"` : entry.etag;
  // private: the answer depends on who asks; no-cache: a client may keep it, but must revalidate.
  reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
  if (matchesEtag(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  if (!encoding) return reply.send(entry.body);
  const variants = (entry.compressed ??= {});
  const compressed = (variants[encoding] ??= compressors[encoding](entry.body));
  return reply.header('content-encoding', encoding).send(await compressed);
}

function negotiatedEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  const chosen = encodings.negotiate(header);
  return chosen === 'identity' ? null : chosen;
}

/** Whether If-None-Match names this content, in any of its encodings (`"<hash>"`, `"<hash>-br"`…). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const hash = etag.slice(1, -1);
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    if (tag === '*') return true;
    if (!tag.startsWith(`"${hash}`) || !tag.endsWith('"')) return false;
    const suffix = tag.slice(hash.length + 1, -1);
    return suffix === '' || suffix === '-br' || suffix === '-gzip';
  });
}
