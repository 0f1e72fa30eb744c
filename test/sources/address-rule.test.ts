import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/sources/address-rule.ts';
import { checkSourceUrl } from '../../src/sources/safe-http.ts';

describe('checkAddress: the address rule for sources', () => {
  const refused = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    // IPv4-mapped IPv6, dotted and hex
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
    // other forms that embed or route to an IPv4 address
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
    // IPv4 in the legacy forms ipaddr accepts (new URL() normalises hostnames to dotted decimal anyway)
    ['0x7f000001', 'loopback'],
    ['2130706433', 'loopback'],
    ['0177.0.0.1', 'loopback'],
  ] as const;

  for (const [address, expected] of refused) {
    it(`refuses ${address} (${expected})`, () => {
      expect(checkAddress(address, false)).toContain(expected);
    });
  }

  it('accepts global unicast addresses, IPv4 and IPv6 (and IPv4-mapped public ones)', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34', '[2001:4860:4860::8888]']) {
      expect(checkAddress(address, false)).toBeNull();
    }
  });

  it('ALLOW_PRIVATE_SOURCES lifts the rule, except for the cloud metadata addresses', () => {
    for (const address of ['127.0.0.1', '::1', '10.0.0.1', '::ffff:192.168.0.1', 'fd12::1', '100.64.0.1']) {
      expect(checkAddress(address, true)).toBeNull();
    }
    expect(checkAddress('169.254.169.254', true)).toContain('metadata');
    expect(checkAddress('::ffff:169.254.169.254', true)).toContain('metadata');
    expect(checkAddress('fd00:ec2:0::254', true)).toContain('metadata');
  });

  it('refuses what is not an address', () => {
    expect(checkAddress('example.com', false)).toContain('not an IP address');
    expect(checkAddress('', true)).toContain('not an IP address');
  });
});

describe('checkSourceUrl', () => {
  it('refuses schemes other than http and https', () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'gopher://example.com/', 'git://github.com/a/b.git', 'ssh://git@github.com/a/b.git', 'javascript:alert(1)', 'data:text/html,hi']) {
      expect(() => checkSourceUrl(url, { allowPrivate: true })).toThrow(/only http and https/);
    }
  });

  it('refuses address literals in every spelling the URL parser accepts', () => {
    for (const url of ['http://127.0.0.1/', 'http://0x7f.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]:8080/', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/']) {
      expect(() => checkSourceUrl(url, { allowPrivate: false }), url).toThrow(/cannot be used as a source/);
    }
  });

  it('refuses credentials in the URL and what is not a URL', () => {
    expect(() => checkSourceUrl('https://user:secret@example.com/', { allowPrivate: false })).toThrow(/credentials/);
    expect(() => checkSourceUrl('not a url', { allowPrivate: false })).toThrow(/not a URL/);
  });

  it('accepts a public http(s) URL, and a private one when allowed', () => {
    expect(checkSourceUrl('https://docs.example.com/guide/', { allowPrivate: false }).href).toBe('https://docs.example.com/guide/');
    expect(checkSourceUrl('http://127.0.0.1:8080/', { allowPrivate: true }).port).toBe('8080');
  });
});
