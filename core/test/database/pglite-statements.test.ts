import { parse, PGlite, protocol, types } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PGliteStatements } from '../../src/database/pglite-statements.js';

describe('PGliteStatements', () => {
  let pglite: PGlite;
  let statements: PGliteStatements;

  beforeEach(async () => {
    pglite = await PGlite.create({ parsers: { [types.INT8]: Number } });
    statements = new PGliteStatements(pglite, { protocol, parse });
    await pglite.exec(`
      create table items (id bigint primary key, name text not null, details jsonb, seen_at timestamptz, flag boolean, bytes bytea, tags text[]);
      insert into items (id, name) values (1, 'first');
    `);
  });
  afterEach(async () => {
    await pglite.close();
  });

  it('answers as PGlite’s own query does, parameters serialised and rows parsed alike', async () => {
    const cases: Array<[string, unknown[]]> = [
      [
        'insert into items (id, name, details, seen_at, flag, bytes, tags) values ($1, $2, $3, $4, $5, $6, $7) returning *',
        [2, 'zwei ✓', { nested: [1, 'two'], quote: '"' }, new Date('2026-12-07T10:00:00.123Z'), true, new Uint8Array([0, 1, 255]), ['a', 'b c']],
      ],
      ['select * from items where id = $1', [2]],
      ['select id, name from items where id = any($1::bigint[]) order by id', [[1, 2]]],
      ['update items set name = $2, details = null where id = $1', [1, 'renamed']],
      ['select * from items where details is null and flag is not true order by id', []],
      ['select $1::bigint + 1 as next, $2::text as absent', [41, null]],
    ];
    for (const [sql, parameters] of cases) {
      // PGlite's run is rolled back, so that ours meets the same table.
      await pglite.exec('begin');
      const expected = await pglite.query(sql, parameters);
      await pglite.exec('rollback');
      const ours = await statements.query(sql, parameters);
      expect(ours.rows, sql).toEqual(expected.rows);
      expect(ours.affectedRows ?? 0, sql).toBe(expected.affectedRows ?? 0);
    }
    const [stored] = (await statements.query<{ id: number; details: unknown; bytes: Uint8Array }>('select * from items where id = $1', [2])).rows;
    expect(stored).toMatchObject({ id: 2, details: { nested: [1, 'two'], quote: '"' }, bytes: new Uint8Array([0, 1, 255]) });
  });

  it('learns a statement’s parameter types once, then runs it in one exchange', async () => {
    const exchanges = vi.spyOn(pglite, 'execProtocol');
    await statements.query('select name from items where id = $1', [1]);
    expect(exchanges).toHaveBeenCalledTimes(2);
    await statements.query('select name from items where id = $1', [1]);
    await statements.query('select name from items where id = $1', [2]);
    expect(exchanges).toHaveBeenCalledTimes(4);
  });

  it('forgets the oldest statement’s types beyond its bound', async () => {
    const bounded = new PGliteStatements(pglite, { protocol, parse }, 2);
    const exchanges = vi.spyOn(pglite, 'execProtocol');
    for (const sql of ['select $1::int as a', 'select $1::int as b', 'select $1::int as c', 'select $1::int as a']) await bounded.query(sql, [1]);
    // Four statements, each described anew: the first was forgotten when the third came.
    expect(exchanges).toHaveBeenCalledTimes(8);
  });

  it('learns types anew after the schema changes', async () => {
    await statements.query('insert into items (id, name) values ($1, $2)', [3, 'text for now']);
    await statements.query('alter table items alter column name type jsonb using to_jsonb(name)', []);
    // Serialised as text, the object would be "[object Object]", which is no JSON.
    await statements.query('insert into items (id, name) values ($1, $2)', [4, { now: 'json' }]);
    const { rows } = await statements.query<{ name: unknown }>('select name from items where id = $1', [4]);
    expect(rows).toEqual([{ name: { now: 'json' } }]);
  });

  it('rejects with PostgreSQL’s error and stays usable, within a transaction as without', async () => {
    await expect(statements.query('insert into items (id, name) values ($1, $2)', [1, 'again'])).rejects.toMatchObject({ code: '23505' });
    await expect(statements.query('selec nothing', [])).rejects.toMatchObject({ code: '42601' });
    await statements.query('begin', []);
    await expect(statements.query('insert into items (id, name) values ($1, $2)', [1, 'again'])).rejects.toMatchObject({ code: '23505' });
    await expect(statements.query('select 1', [])).rejects.toMatchObject({ code: '25P02' });
    await statements.query('rollback', []);
    const { rows } = await statements.query<{ name: string }>('select name from items where id = $1', [1]);
    expect(rows).toEqual([{ name: 'first' }]);
  });
});
