import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseTrustedProxies } from '../../src/system/trusted-proxies.js';

describe('TRUST_PROXY', () => {
  it('trusts nobody when unset, empty or false', () => {
    expect(parseTrustedProxies(undefined)).toBe(false);
    expect(parseTrustedProxies('')).toBe(false);
    expect(parseTrustedProxies(' false ')).toBe(false);
    expect(loadConfig({}).http.trustProxy).toBe(false);
  });

  it('takes true, a hop count, or addresses, networks and named ranges', () => {
    expect(parseTrustedProxies('true')).toBe(true);
    expect(parseTrustedProxies('2')).toBe(2);
    expect(parseTrustedProxies('10.0.0.0/8, 192.168.1.7,loopback, fd00::/8, ::1')).toEqual(['10.0.0.0/8', '192.168.1.7', 'loopback', 'fd00::/8', '::1']);
    expect(loadConfig({ TRUST_PROXY: 'uniquelocal' }).http.trustProxy).toEqual(['uniquelocal']);
  });

  it('refuses what is none of these, naming the entry', () => {
    expect(() => parseTrustedProxies('0')).toThrow(/0 hops trusts nobody/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/"10\.0\.0\.0\/33" is not an address/);
    expect(() => parseTrustedProxies('10.0.0.1,proxy.internal')).toThrow(/"proxy\.internal" is not an address/);
    expect(() => parseTrustedProxies('yes')).toThrow(/"yes"/);
    expect(() => parseTrustedProxies('10.0.0.0/8/1')).toThrow(/"10\.0\.0\.0\/8\/1"/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1,' })).toThrow(/^invalid configuration: TRUST_PROXY: "" is not an address/);
  });
});
