import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { appendRouteHook, changesState } from '../../src/plugins/route-hooks.js';

describe('route hooks', () => {
  it('tells reads from state changes, for one method or several', () => {
    expect(changesState({ method: 'GET' })).toBe(false);
    expect(changesState({ method: ['GET', 'HEAD'] })).toBe(false);
    expect(changesState({ method: 'post' })).toBe(true);
    expect(changesState({ method: ['GET', 'DELETE'] })).toBe(true);
  });

  it('runs an appended hook after the route’s own, on the routes it was added to only', async () => {
    const app = Fastify();
    const ran: string[] = [];
    app.addHook('onRoute', (route) => {
      if (changesState(route)) appendRouteHook(route, 'onSend', async (request: { url: string }) => void ran.push(`appended ${request.url}`));
    });
    app.post('/write', { onSend: async () => void ran.push('own /write') }, async () => ({ ok: true }));
    app.get('/read', async () => ({ ok: true }));
    await app.inject({ method: 'POST', url: '/write' });
    await app.inject({ method: 'GET', url: '/read' });
    expect(ran).toEqual(['own /write', 'appended /write']);
    await app.close();
  });
});
