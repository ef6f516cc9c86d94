import type { Format } from '@conveyor/contracts';
import { describe, expect, it } from 'vitest';
import { findFormat, formatCatalog, undeclaredFormat } from '../../src/formats/catalog.js';
import { CapabilityGraph } from '../../src/planner/capability-graph.js';
import { plugin } from '../planner/graph-fixtures.js';

const jpeg: Format = { id: 'jpeg', name: 'JPEG', mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], category: 'image' };

describe('formatCatalog', () => {
  it('holds declared formats, and formats only capabilities name, once each, sorted by id', () => {
    const graph = new CapabilityGraph([
      plugin('image', [{ from: 'png', to: 'jpeg' }], [jpeg]),
      plugin('other', [{ from: 'jpeg', to: 'png' }, { from: 'png', to: 'blorb' }]),
    ]);
    expect(formatCatalog(graph)).toEqual([undeclaredFormat('blorb'), jpeg, undeclaredFormat('png')]);
  });

  it('keeps a declared format no capability uses', () => {
    expect(formatCatalog(new CapabilityGraph([plugin('image', [], [jpeg])]))).toEqual([jpeg]);
  });
});

describe('undeclaredFormat', () => {
  it('takes MIME type and extensions from format detection', () => {
    expect(undeclaredFormat('yaml')).toEqual({ id: 'yaml', name: 'yaml', mime: 'application/yaml', extensions: ['yaml', 'yml'], category: 'other' });
  });

  it('describes a format detection does not know as bytes named by its id', () => {
    expect(undeclaredFormat('blorb')).toEqual({ id: 'blorb', name: 'blorb', mime: 'application/octet-stream', extensions: ['blorb'], category: 'other' });
  });
});

describe('findFormat', () => {
  const catalog = [jpeg, undeclaredFormat('png')];

  it('finds a format by id or by extension, in any case', () => {
    expect(findFormat(catalog, 'jpeg')).toBe(jpeg);
    expect(findFormat(catalog, 'JPG')).toBe(jpeg);
    expect(findFormat(catalog, 'Png')?.id).toBe('png');
  });

  it('finds nothing for a name the catalog does not know', () => {
    expect(findFormat(catalog, 'gif')).toBeUndefined();
  });
});
