import { isIP } from 'node:net';

/**
 * Which peers may tell the API the client's address (X-Forwarded-For), in the forms Fastify's
 * `trustProxy` takes: nobody, everybody, the nearest N hops, or these addresses and networks.
 */
export type TrustedProxies = boolean | number | string[];

/** proxy-addr's names for the private ranges, accepted beside addresses and CIDR networks. */
const rangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrNetwork(entry: string): boolean {
  if (rangeNames.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

/**
 * Reads `TRUST_PROXY`: unset or `false` trusts nobody (a client could otherwise pick its own
 * address, and with it a fresh rate limit, by sending X-Forwarded-For); `true` trusts every
 * peer; a whole number trusts that many hops; otherwise a comma-separated list of addresses,
 * CIDR networks or `loopback` / `linklocal` / `uniquelocal`.
 *
 * @throws Error naming the entry that is none of these.
 */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1) throw new Error('TRUST_PROXY: 0 hops trusts nobody; leave it unset instead');
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const invalid = entries.find((entry) => !isAddressOrNetwork(entry));
  if (invalid !== undefined) {
    throw new Error(`TRUST_PROXY: ${JSON.stringify(invalid)} is not an address, a CIDR network, loopback, linklocal or uniquelocal`);
  }
  return entries;
}
