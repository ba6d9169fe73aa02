// Hooks that only some routes need are attached to those routes (from an onRoute hook) instead of
// to the whole scope: Fastify skips a hook stage a route has no hooks for, and a GET served from
// the read cache then runs no onSend stage at all. Scope-wide hooks that returned at once for
// GETs were a measurable share of a cached read's CPU.
import type { RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preHandler' | 'onSend';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The route's methods, upper-case (a route may be declared with one or several). */
export function routeMethods(route: Pick<RouteOptions, 'method'>): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map((method) => method.toUpperCase());
}

/** Whether a route can change state (any of its methods is not a read). */
export function changesState(route: Pick<RouteOptions, 'method'>): boolean {
  return routeMethods(route).some((method) => !READ_METHODS.has(method));
}

/** Appends a hook to the route's own hooks of that stage, after any it already has. */
export function appendRouteHook<H>(route: RouteOptions, name: HookName, hook: H): void {
  const options = route as unknown as Record<HookName, H | H[] | undefined>;
  const existing = options[name];
  options[name] = existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook];
}
