import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialOf } from '../../src/auth/bearer.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

describe('bearer credentials', () => {
  it('gives the secret with its SHA-256, as bytes and as the hex key tokens are stored under', () => {
    const credential = credentialOf('Bearer kb_secret-1');
    expect(credential?.secret).toBe('kb_secret-1');
    expect(credential?.digest.equals(sha256('kb_secret-1'))).toBe(true);
    expect(credential?.key).toBe(sha256('kb_secret-1').toString('hex'));
  });

  it('hashes a client\'s header once: the same header gives the same credential object', () => {
    const first = credentialOf('Bearer kb_secret-2');
    expect(credentialOf('Bearer kb_secret-2')).toBe(first);
    expect(credentialOf('Bearer kb_secret-3')?.key).toBe(sha256('kb_secret-3').toString('hex'));
  });

  it('recognises only "Bearer <printable secret>"', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'bearer kb_x', 'Basic a2I6eA==', 'Bearer kb_x y', `Bearer ${'x'.repeat(513)}`]) {
      expect(credentialOf(header)).toBeNull();
    }
    expect(credentialOf(`Bearer ${'x'.repeat(512)}`)?.secret).toHaveLength(512);
  });
});
