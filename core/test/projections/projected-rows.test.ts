import { describe, expect, it } from 'vitest';
import { emptyRows, ProjectedRows } from '../../src/projections/projected-rows.js';
import type { ResourceRow } from '../../src/projections/resource-row.js';

const resource = (id: string): ResourceRow => ({ id, org_id: 'org1', resource: 'settings', data: {}, created_at: '2026-12-07T00:00:00.000Z', updated_at: '2026-12-07T00:00:00.000Z' });

describe('projected rows', () => {
  it('knows rows, absent ones too, at the checkpoint they were written at', () => {
    const known = new ProjectedRows();
    expect(known.checkpoint).toBeUndefined();
    const changed = emptyRows();
    changed.resources.set('r1', resource('r1'));
    changed.resources.set('r2', undefined);
    known.advance(7, changed);
    expect(known.checkpoint).toBe(7);
    expect(known.rows.resources.get('r1')).toEqual(resource('r1'));
    expect(known.rows.resources.has('r2')).toBe(true);
    known.forget();
    expect(known.checkpoint).toBeUndefined();
    expect(known.rows.resources.size).toBe(0);
  });

  it('starts over once it holds more rows than its bound, keeping the latest batch', () => {
    const known = new ProjectedRows();
    for (let batch = 0; batch < 30; batch++) {
      const changed = emptyRows();
      for (let i = 0; i < 50; i++) changed.resources.set(`r${batch}-${i}`, resource(`r${batch}-${i}`));
      known.advance(batch + 1, changed);
      expect(known.rows.resources.size).toBeLessThanOrEqual(1_050);
      expect(known.rows.resources.has(`r${batch}-49`)).toBe(true);
    }
    expect(known.checkpoint).toBe(30);
  });
});
