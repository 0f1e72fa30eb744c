import ipaddr from 'ipaddr.js';

/**
 * Cloud metadata endpoints: refused even when private addresses are allowed, because no intranet documentation
 * lives there and reaching one hands out the host's credentials.
 */
const METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'];

/** Why an address may not be fetched from, or null when it may. */
export type AddressVerdict = null | string;

/**
 * Whether an admin-supplied source may connect to `address` (an IPv4 or IPv6 literal, as DNS returns it or as
 * written in a URL, `[` `]` allowed). Only global unicast addresses pass: loopback, private (RFC 1918),
 * link-local, unique-local, carrier-grade NAT, multicast, reserved and unspecified ones are refused, and so are
 * the IPv6 forms that embed an IPv4 address (IPv4-mapped `::ffff:127.0.0.1` or `::ffff:7f00:1`, NAT64, 6to4,
 * Teredo) since they can route to one. `allowPrivate` (ALLOW_PRIVATE_SOURCES) lifts the rule for everything but
 * the metadata endpoints. Anything that does not parse as an address is refused.
 */
export function checkAddress(address: string, allowPrivate: boolean): AddressVerdict {
  const literal = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(literal.replace(/%.*$/, '')); // a zone id (fe80::1%eth0) says nothing about the range
  } catch {
    return `"${address}" is not an IP address`;
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const normalized = parsed.toNormalizedString();
  if (METADATA_ADDRESSES.some((metadata) => ipaddr.parse(metadata).toNormalizedString() === normalized)) {
    return `${parsed.toString()} is a cloud metadata address`;
  }
  if (allowPrivate) return null;
  const range = parsed.range();
  return range === 'unicast' ? null : `${parsed.toString()} is a ${describeRange(range)} address`;
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: 'loopback',
    private: 'private',
    linkLocal: 'link-local',
    uniqueLocal: 'unique-local',
    carrierGradeNat: 'carrier-grade NAT',
    unspecified: 'unspecified',
    multicast: 'multicast',
    broadcast: 'broadcast',
  };
  return names[range] ?? `non-public (${range})`;
}

/** Whether a URL host (as `new URL().hostname` gives it) is an IP literal rather than a name to resolve. */
export function isAddressLiteral(hostname: string): boolean {
  const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(literal);
}
