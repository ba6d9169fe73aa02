import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApi } from '../../src/openapi-document.js';

describe('openapi/openapi.json', () => {
  it('is what the routes generate (run `npm run openapi` after changing a route)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(await generateOpenApi());
  });

  it('documents every operation with an operationId, tags and error responses', async () => {
    const document = JSON.parse(await generateOpenApi()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string; tags?: string[]; responses: Record<string, unknown> }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(15);
    for (const { path, op } of operations) {
      expect(op.operationId, path).toBeTruthy();
      expect(op.tags?.length, path).toBeGreaterThan(0);
      if (path.startsWith('/v1')) expect(Object.keys(op.responses), path).toContain('401');
    }
  });
});
