// Liveness and readiness probes (no token needed).
import { Type } from '@sinclair/typebox';
import type { App } from '../app-types.js';
import { ProblemRef } from '../schemas/common.js';
import { unavailable } from '../errors.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const DependencyStatus = Type.Object({ name: Type.String(), ok: Type.Boolean(), error: Type.Optional(Type.String()) });

export function healthRoutes(app: App, checks: ReadinessCheck[]) {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'health',
        summary: 'Liveness: the process is up',
        description: 'For orchestrators’ liveness probes; answers without touching any dependency. Needs no token.',
        tags: ['health'],
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }, { examples: [{ status: 'ok' }] }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        operationId: 'ready',
        summary: 'Readiness: every dependency answers',
        description: 'For load balancers: 503 problem details name the dependency (database, Redis) that does not answer. Needs no token.',
        tags: ['health'],
        security: [],
        response: {
          200: Type.Object(
            { status: Type.Literal('ready'), dependencies: Type.Array(DependencyStatus) },
            { examples: [{ status: 'ready', dependencies: [{ name: 'database', ok: true }, { name: 'redis', ok: true }] }] },
          ),
          503: ProblemRef,
        },
      },
    },
    async () => {
      const dependencies = await Promise.all(
        checks.map(async ({ name, check }) => {
          try {
            await withTimeout(check(), 2_000);
            return { name, ok: true };
          } catch (error) {
            return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
          }
        }),
      );
      const down = dependencies.filter((d) => !d.ok);
      if (down.length > 0) throw unavailable(`Not ready: ${down.map((d) => `${d.name} (${d.error})`).join('; ')}`);
      return { status: 'ready' as const, dependencies };
    },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
