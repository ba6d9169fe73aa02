// Service configuration: read from the environment once, validated against one TypeBox schema
// whose static type is the config type, so the two can never drift apart.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description: 'PostgreSQL connection URL. When unset, an embedded PGlite database under DATA_DIR is used.',
    }),
  ),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://',
      description: 'Redis URL for the BullMQ scoring queue. When unset, scoring runs in-process after each write.',
    }),
  ),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Interface the HTTP server binds to.' }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535, description: 'HTTP port.' }),
  ADMIN_TOKEN: Type.Optional(
    Type.String({
      minLength: 16,
      description: 'Bootstrap admin bearer token (≥ 16 chars). Generated and kept in DATA_DIR in embedded mode when unset.',
    }),
  ),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info', description: 'pino log level.' },
  ),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    default: 600,
    minimum: 1,
    maximum: 10_000_000,
    description: 'Requests per minute per token (per IP without one); shared through Redis when configured.',
  }),
  MIGRATE_ON_START: Type.Boolean({
    default: true,
    description: 'Apply pending migrations when the API or a worker starts. Set false where a one-shot migrate job runs them (compose.yaml).',
  }),
  OUTBOX_RETENTION_DAYS: Type.Integer({
    default: 7,
    minimum: 1,
    maximum: 3650,
    description: 'Days a processed scoring-outbox row (with the request id that caused it) is kept before it is deleted.',
  }),
  READ_CACHE_MB: Type.Integer({
    default: 64,
    minimum: 0,
    maximum: 65_536,
    description: 'Memory for the API\'s cache of match lists, partner lists and tokens, kept current by database change notifications; 0 turns it off.',
  }),
  WORKER_CONCURRENCY: Type.Integer({ default: 2, minimum: 1, maximum: 64, description: 'Jobs a scoring worker process runs at once.' }),
  WORKER_METRICS_PORT: Type.Integer({
    default: 9464,
    minimum: 0,
    maximum: 65535,
    description: 'Port of a scoring worker\'s /metrics and /healthz (on HOST); 0 turns it off. Give each worker on one host its own.',
  }),
  DATA_DIR: Type.String({ default: './data', minLength: 1, description: 'Folder for the embedded database and generated admin token.' }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

const CONFIG_KEYS = Object.keys(ConfigSchema.properties) as (keyof Config)[];

/** Builds a validated config from environment variables; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const candidate = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  const problems = [...Value.Errors(ConfigSchema, candidate)];
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.path.replace(/^\//, '') || '(config)'}: ${p.message} (got ${JSON.stringify(raw[p.path.slice(1)] ?? null)})`);
    throw new ConfigError(`Invalid configuration:\n${[...new Set(lines)].join('\n')}`);
  }
  return candidate as Config;
}
