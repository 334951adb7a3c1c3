/**
 * Which network addresses a URL taken from a certificate (AIA, CRL distribution points) may reach.
 * Such URLs are attacker input: without this check a signature could make a server fetch from its own
 * loopback or private network (SSRF). Addresses are parsed by ipaddr.js, not by patterns, so every
 * spelling of an address (IPv4-mapped `::ffff:7f00:1`, NAT64 `64:ff9b::7f00:1`, 6to4) is judged by the
 * IPv4 address it carries.
 */
import ipaddr from 'ipaddr.js';

/** IPv4 ranges ipaddr.js names that a public responder can sit in: only ordinary unicast. */
const PUBLIC_V4 = new Set(['unicast']);

/**
 * True when `address` (an IPv4 or IPv6 literal, without brackets) is not a public unicast address:
 * loopback, private, link-local, unique-local, carrier-grade NAT, multicast, broadcast, unspecified,
 * reserved or documentation ranges, Teredo, IPv6 outside 2000::/3, and any IPv6 form that embeds
 * such an IPv4 address. Anything unparseable counts as not public.
 */
export function isNonPublicAddress(address: string): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return true;
  }
  if (parsed.kind() === 'ipv4') return !PUBLIC_V4.has(parsed.range());
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) return !PUBLIC_V4.has(embedded.range());
  const range = v6.range();
  if (range !== 'unicast') return true;
  // Global unicast is 2000::/3; the rest of "unicast" to ipaddr.js (e.g. the deprecated IPv4-compatible ::a.b.c.d)
  // is not where a public responder lives.
  return (v6.parts[0]! & 0xe000) !== 0x2000;
}

/** The IPv4 address an IPv6 address carries by a standard translation (mapped, SIIT, NAT64, 6to4). */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = v6.parts;
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return v6.toIPv4Address();
  // RFC 6052 well-known prefix 64:ff9b::/96 (the RFC 8215 local-use /48 carries no fixed layout: not public).
  if (range === 'rfc6052') return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]) : new ipaddr.IPv4([0, 0, 0, 0]);
  // 6to4 2002:AABB:CCDD::/48 → AA.BB.CC.DD
  if (range === '6to4') return new ipaddr.IPv4([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]);
  return undefined;
}

/**
 * A URL host (as `URL.hostname` gives it: IPv6 in brackets, IPv4 normalised) that must not be fetched:
 * `localhost` names, and literal addresses that are not public. Host names are judged by what they
 * resolve to (see Fetcher).
 */
export function isNonPublicHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (ipaddr.isValid(h)) return isNonPublicAddress(h);
  return false;
}

export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, ''));
}
