import { sql, type Kysely } from 'kysely';
import { streamKinds } from '../../event-log/port.js';

// Tables of the SQL event log (see core/src/event-log/sql/tables.ts for what each column means).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('event_log_streams')
    .addColumn('stream', 'text', (c) => c.primaryKey())
    .addColumn('last_sequence', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .insertInto('event_log_streams')
    .values(streamKinds.map((stream) => ({ stream, last_sequence: 0 })))
    .execute();

  await db.schema
    .createTable('event_log_messages')
    .addColumn('stream', 'text', (c) => c.notNull().references('event_log_streams.stream'))
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('stored_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('event_log_messages_pk', ['stream', 'sequence'])
    .addUniqueConstraint('event_log_messages_message_id_unique', ['stream', 'message_id'])
    .execute();
  // readSubject and the optimistic-concurrency check (last sequence of a subject) read this index.
  await db.schema
    .createIndex('event_log_messages_subject_idx')
    .on('event_log_messages')
    .columns(['stream', 'subject', 'sequence'])
    .execute();

  await db.schema
    .createTable('event_log_consumers')
    .addColumn('stream', 'text', (c) => c.notNull().references('event_log_streams.stream'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject_filter', 'text', (c) => c.notNull())
    .addColumn('admitted_through', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('event_log_consumers_pk', ['stream', 'name'])
    .execute();

  await db.schema
    .createTable('event_log_deliveries')
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('delivery_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('event_log_deliveries_pk', ['stream', 'consumer', 'sequence'])
    .addForeignKeyConstraint('event_log_deliveries_consumer_fk', ['stream', 'consumer'], 'event_log_consumers', ['stream', 'name'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_log_deliveries').execute();
  await db.schema.dropTable('event_log_consumers').execute();
  await db.schema.dropTable('event_log_messages').execute();
  await db.schema.dropTable('event_log_streams').execute();
}
