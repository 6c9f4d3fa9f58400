import { isIPv4, isIPv6 } from "node:net";

/**
 * Keys of the `throttles` table (always together with the realm id). A known account is keyed by
 * its user id, so that its email and its username share one budget; an identifier that matches no
 * account is keyed by the identifier as typed (normalised). From outside the two are
 * indistinguishable: a refusal answers exactly like a wrong password.
 *
 * User ids never contain `|` and addresses never do either, so `user-ip:<id>|` is an exact prefix of
 * one account's pairs.
 */
export const throttleKeys = {
  user: (userId: string) => `user:${userId}`,
  userIp: (userId: string, ip: string) => `user-ip:${userId}|${ip}`,
  userIpPrefix: (userId: string) => `user-ip:${userId}|`,
  login: (identifier: string) => `login:${identifier}`,
  loginIp: (identifier: string, ip: string) => `login-ip:${identifier}|${ip}`,
  ip: (ip: string) => `ip:${ip}`,
  signupIp: (ip: string) => `signup-ip:${ip}`,
  resetIp: (ip: string) => `reset-ip:${ip}`,
  /** Second-factor attempts of one user, across login flows (lib/throttle/second-factor.ts). */
  mfa: (userId: string) => `mfa:${userId}`,
  /** Emails with a link (reset, verification, change of email) to one normalised address. */
  emailRecipient: (address: string) => `email-to:${address}`,
  /**
   * Change-of-email links: counted against the account asking and, apart from the budget above, the
   * address it names, so that nobody can spend someone else's reset and verification budget.
   */
  emailChangeUser: (userId: string) => `email-change:${userId}`,
  emailChangeRecipient: (address: string) => `email-change-to:${address}`,
  /** Codes tried on the profile's "Turn off two-step verification" form, per user. */
  mfaProfile: (userId: string) => `mfa-profile:${userId}`,
};

/** Requests whose client address is unknown share one bucket (only possible outside scripts/serve.mjs). */
export const UNKNOWN_IP = "unknown";

/**
 * The address a per-IP counter is keyed by. IPv4 addresses count one by one; IPv6 addresses by
 * their /64 network, because one host usually controls a whole /64 and could otherwise rotate
 * through 2^64 fresh counters.
 */
export function ipBucket(ip: string | null | undefined): string {
  if (!ip) return UNKNOWN_IP;
  const address = ip.trim().toLowerCase().replace(/%.*$/, "");
  if (isIPv4(address)) return address;
  if (isIPv6(address)) {
    const groups = ipv6Groups(address);
    const mappedV4 = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
    if (mappedV4)
      return groups
        .slice(6)
        .flatMap((g) => [g >> 8, g & 0xff])
        .join(".");
    return `${groups
      .slice(0, 4)
      .map((g) => g.toString(16))
      .join(":")}::/64`;
  }
  // Not an address (only possible outside scripts/serve.mjs): kept, but never with a key separator.
  return address.replace(/[^0-9a-z.:_-]/g, "_").slice(0, 64) || UNKNOWN_IP;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted quad converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const quad = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = new Array(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}
