// The bearer secret of a request and its SHA-256, worked out once per client rather than once
// per request: the rate limit keys its count on the digest and the token verifier looks the token
// up by it. Hashing (with node:crypto's argument checks and buffer allocation, and the hex
// string) was ~5 % of the API's CPU on a cached match list, for a value that is the same on
// every request of a client. The credentials of recently seen headers are kept in a bounded
// LRU; they live in this process's memory, as the headers they came from do.
import { hash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';

export const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

export interface BearerCredential {
  secret: string;
  /** SHA-256 of the secret (UTF-8). */
  digest: Buffer;
  /** The digest in hex: the key issued tokens are stored under, and the rate limit's count key. */
  key: string;
}

// One-shot hash(): half the time of createHash().update().digest() for a short secret.
export const secretDigest = (secret: string): Buffer => hash('sha256', secret, 'buffer');

/** Enough for every client of a busy instance; a header not among them is simply parsed and hashed again. */
const RECENT_HEADERS = 10_000;
const recent = new LRUCache<string, BearerCredential>({ max: RECENT_HEADERS });

/** A secret with its digest and key, worked out now (callers on the request path go through credentialOf). */
export function credentialFor(secret: string): BearerCredential {
  const digest = secretDigest(secret);
  return { secret, digest, key: digest.toString('hex') };
}

/** The credential an `Authorization` header presents as `Bearer <secret>`, or null for none or another form. */
export function credentialOf(header: string | undefined): BearerCredential | null {
  if (!header) return null;
  const known = recent.get(header);
  if (known) return known;
  const secret = BEARER.exec(header)?.[1];
  if (!secret) return null;
  const credential = credentialFor(secret);
  recent.set(header, credential);
  return credential;
}

/** The request's `Authorization: Bearer <secret>`, or null when it sends none or another form. */
export const bearerOf = (request: FastifyRequest): BearerCredential | null => credentialOf(request.headers.authorization);
