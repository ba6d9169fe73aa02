// The API as `npm start` runs it, plus one bare route, so the HTTP benchmark measures both in one
// process on the same machine. Started by bench/run.ts as a child process.
import pino from 'pino';
import { buildApp, fastifyOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/runtime.js';

const config = loadConfig();
const runtime = await startRuntime(config, pino({ level: 'silent' }));
const app = await buildApp(runtime, fastifyOptions());
app.get('/bench/bare', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: config.PORT });
process.send?.('ready');
process.on('SIGTERM', () => {
  void app.close().then(() => runtime.close()).then(() => process.exit(0));
});
