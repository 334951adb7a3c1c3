import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Fetcher, FetchError, type FetchFunction } from '../src/net/fetcher.js';
import { isNonPublicAddress } from '../src/net/address.js';
import { itIf } from './helpers/skip.js';

/**
 * AIA / CRL distribution point URLs come from certificates, i.e. from the attacker. The guard must refuse every
 * spelling of a loopback/private address, including IPv6 forms that carry an IPv4 address (URL normalises
 * `[::ffff:127.0.0.1]` to `[::ffff:7f00:1]`, which the old pattern check let through), and names that resolve
 * to such addresses. No request leaves the process here: the fetch function records the URLs it is asked for.
 */
function recorder(): { fetch: FetchFunction; asked: string[] } {
  const asked: string[] = [];
  const fetch: FetchFunction = async (url) => {
    asked.push(url);
    return { ok: true, status: 200, arrayBuffer: async () => new Uint8Array([1, 2, 3]).buffer };
  };
  return { fetch, asked };
}

const REFUSED = [
  'http://[::ffff:127.0.0.1]/ocsp', // IPv4-mapped loopback (normalised to ::ffff:7f00:1): the reported bypass
  'http://[::ffff:10.0.0.1]/crl', // IPv4-mapped private
  'http://[64:ff9b::7f00:1]/', // NAT64 well-known prefix carrying 127.0.0.1
  'http://[64:ff9b::a9fe:a9fe]/', // NAT64 carrying the cloud metadata address 169.254.169.254
  'http://[2002:7f00:1::]/', // 6to4 carrying 127.0.0.1
  'http://[2002:c0a8:1::1]/', // 6to4 carrying 192.168.0.1
  'http://[::7f00:1]/', // deprecated IPv4-compatible form
  'http://[::1]/',
  'http://[::]/',
  'http://[fe80::1]/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://[ff02::1]/',
  'http://[2001:db8::1]/', // documentation
  'http://[2001::1]/', // Teredo
  'http://127.0.0.1/',
  'http://127.1/', // URL normalises to 127.0.0.1
  'http://2130706433/', // decimal 127.0.0.1
  'http://0x7f.0.0.1/', // hex octet
  'http://0.0.0.0/',
  'http://10.1.2.3/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://169.254.169.254/latest/meta-data',
  'http://100.64.0.1/', // carrier-grade NAT
  'http://192.0.2.1/', // documentation
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'http://localhost/',
  'http://localhost./',
  'http://ocsp.localhost/',
];

describe('Fetcher address guard (URLs from certificates)', () => {
  it.each(REFUSED)('refuses %s without fetching', async (url) => {
    const { fetch, asked } = recorder();
    const f = new Fetcher({ fetch, resolve: async () => ['93.184.216.34'] });
    await expect(f.get(url, '*/*')).rejects.toThrow(FetchError);
    await expect(f.get(url, '*/*')).rejects.toThrow(/local or private/);
    expect(asked).toEqual([]);
  });

  it('fetches public literal addresses (IPv4, IPv6 global unicast, NAT64 of a public IPv4)', async () => {
    const { fetch, asked } = recorder();
    const f = new Fetcher({ fetch, resolve: async () => ['10.0.0.1'] }); // never consulted for literals
    for (const url of ['http://93.184.216.34/ocsp', 'http://[2606:4700::1111]/crl', 'http://[64:ff9b::5db8:d822]/']) {
      await expect(f.get(url, '*/*')).resolves.toEqual(new Uint8Array([1, 2, 3]));
    }
    expect(asked).toHaveLength(3);
  });

  it('judges a host name by every address it resolves to', async () => {
    const dns: Record<string, string[]> = {
      'ocsp.public.test': ['93.184.216.34', '2606:4700::1111'],
      'rebind.evil.test': ['93.184.216.34', '127.0.0.1'],
      'mapped.evil.test': ['::ffff:a9fe:a9fe'],
      'intranet.evil.test': ['10.20.30.40'],
    };
    const { fetch, asked } = recorder();
    const f = new Fetcher({ fetch, resolve: async (h) => dns[h] ?? Promise.reject(new Error('ENOTFOUND')) });
    await expect(f.get('http://ocsp.public.test/x', '*/*')).resolves.toBeInstanceOf(Uint8Array);
    for (const h of ['rebind.evil.test', 'mapped.evil.test', 'intranet.evil.test']) {
      await expect(f.get(`http://${h}/x`, '*/*')).rejects.toThrow(/resolves to .*local or private/);
    }
    expect(asked).toEqual(['http://ocsp.public.test/x']);
  });

  it('allowPrivateNetwork turns the guard off (the tests\' own loopback servers use it)', async () => {
    const { fetch, asked } = recorder();
    const f = new Fetcher({ fetch, allowPrivateNetwork: true, resolve: async () => ['127.0.0.1'] });
    await f.get('http://[::ffff:127.0.0.1]/', '*/*');
    await f.get('http://loop.test/', '*/*');
    expect(asked).toHaveLength(2);
  });

  // The default resolver on Node is dns.lookup: a name /etc/hosts maps to loopback is refused (no DNS query is sent).
  const hosts = (() => {
    try {
      return readFileSync('/etc/hosts', 'utf8');
    } catch {
      return '';
    }
  })();
  const loopName = [...hosts.matchAll(/^\s*127\.\d+\.\d+\.\d+\s+(.+)$/gm)].flatMap((m) => m[1]!.split(/\s+/)).find((n) => n && !n.startsWith('#') && !/localhost/i.test(n));
  itIf(!!loopName, '/etc/hosts maps no name but localhost to 127.x')('the default Node resolver: a name /etc/hosts maps to 127.x is refused', async () => {
    const { fetch, asked } = recorder();
    const f = new Fetcher({ fetch });
    await expect(f.get(`http://${loopName}/ocsp`, '*/*')).rejects.toThrow(/resolves to 127\./);
    expect(asked).toEqual([]);
  });

  it('isNonPublicAddress: unparseable input counts as not public', () => {
    expect(isNonPublicAddress('not an address')).toBe(true);
    expect(isNonPublicAddress('93.184.216.34')).toBe(false);
  });
});
