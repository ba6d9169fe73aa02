// The API as `npm start` runs it, plus two baselines for the HTTP benchmark, all in this one process
// on the same machine: a bare route inside the app (behind the same global hooks: request ids,
// security headers, metrics) and a plain Fastify instance with one route and nothing else (on
// PORT + 1). Started by bench/run.ts as a child process.
import Fastify from 'fastify';
import pino from 'pino';
import { buildApp, fastifyOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/runtime.js';

const config = loadConfig();
const runtime = await startRuntime(config, pino({ level: 'silent' }));
const app = await buildApp(runtime, fastifyOptions());
app.get('/bench/bare', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: config.PORT });
const plain = Fastify();
plain.get('/bench/bare', async () => ({ ok: true }));
await plain.listen({ host: '127.0.0.1', port: config.PORT + 1 });
// Scoring in-process loads the capability index in the background; it must not run during a measurement.
await runtime.warmUp();
process.send?.('ready');
process.on('SIGTERM', () => {
  void Promise.all([app.close(), plain.close()])
    .then(() => runtime.close())
    .then(() => process.exit(0));
});
