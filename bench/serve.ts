// The API as `npm start` runs it, plus two baselines for the HTTP benchmark, all in this one process
// on the same machine: a bare route inside the app (behind the same global hooks: request ids,
// security headers, metrics) and a plain Fastify instance with one route and nothing else. Started
// by bench/run.ts as a child process; both listen on ports the OS picks (a port chosen at random by
// the parent once collided with an outgoing connection's), which are sent back with 'ready'.
import Fastify from 'fastify';
import pino from 'pino';
import { buildApp, fastifyOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/runtime.js';

const config = loadConfig();
const runtime = await startRuntime(config, pino({ level: 'silent' }));
const app = await buildApp(runtime, fastifyOptions());
app.get('/bench/bare', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
const plain = Fastify();
plain.get('/bench/bare', async () => ({ ok: true }));
await plain.listen({ host: '127.0.0.1', port: 0 });
// Scoring in-process loads the capability index in the background; it must not run during a measurement.
await runtime.warmUp();
const portOf = (server: { server: { address(): unknown } }) => (server.server.address() as { port: number }).port;
process.send?.({ apiPort: portOf(app), plainPort: portOf(plain) });
process.on('SIGTERM', () => {
  void Promise.all([app.close(), plain.close()])
    .then(() => runtime.close())
    .then(() => process.exit(0));
});
