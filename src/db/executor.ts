// Repositories take either the database or an open transaction, so the service decides where a
// transaction begins.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

export type Executor = Kysely<Database> | Transaction<Database>;
