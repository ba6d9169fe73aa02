// Server entry: load config, build the app, listen, and shut down gracefully on SIGTERM/SIGINT
// (stop accepting, finish in-flight requests, close the queue and the database pool).
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { buildApp, fastifyOptions } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { startRuntime } from './runtime.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.LOG_LEVEL });
  const runtime = await startRuntime(config, logger);
  const app = await buildApp(runtime, fastifyOptions(logger));
  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info(
    { database: runtime.database.embedded ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL', scoring: runtime.scoring.mode },
    `Koblingsboks listening; docs at http://${config.HOST}:${config.PORT}/docs`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
