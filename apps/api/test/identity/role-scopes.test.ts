import { describe, expect, it } from 'vitest';
import { mintApiKey } from '../../src/identity/api-key-secret.js';
import { scopesOfRole, scopesWithinRole } from '../../src/identity/role-scopes.js';

describe('what each role may do', () => {
  it('gives owners and admins every scope, members all but admin, viewers only reading', () => {
    expect(scopesOfRole('owner')).toEqual(['convert:write', 'files:read', 'files:write', 'admin']);
    expect(scopesOfRole('admin')).toEqual(['convert:write', 'files:read', 'files:write', 'admin']);
    expect(scopesOfRole('member')).toEqual(['convert:write', 'files:read', 'files:write']);
    expect(scopesOfRole('viewer')).toEqual(['files:read']);
  });

  it('lets a key do only what its creator’s role allows', () => {
    expect(scopesWithinRole(['admin', 'files:read'], 'viewer')).toEqual(['files:read']);
    expect(scopesWithinRole(['admin', 'files:write'], 'member')).toEqual(['files:write']);
    expect(scopesWithinRole(['admin', 'convert:write'], 'owner')).toEqual(['convert:write', 'admin']);
  });
});

describe('minting an API key', () => {
  it('makes cvk_ and 32 random bytes, listed by its first 12 characters and stored as its sha256', () => {
    const minted = mintApiKey((size) => Buffer.alloc(size, 0xff));
    expect(minted.key).toBe(`cvk_${Buffer.alloc(32, 0xff).toString('base64url')}`);
    expect(minted.prefix).toBe(minted.key.slice(0, 12));
    expect(minted.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(minted.hash).not.toBe(mintApiKey().hash);
  });
});
