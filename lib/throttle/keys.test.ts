import { describe, expect, it } from "vitest";
import { ipBucket, throttleKeys, UNKNOWN_IP } from "./keys";

describe("ipBucket", () => {
  it("keeps IPv4 addresses as they are", () => {
    expect(ipBucket("203.0.113.9")).toBe("203.0.113.9");
  });

  it("groups IPv6 addresses by /64, whatever their spelling", () => {
    expect(ipBucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(ipBucket("2001:0DB8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(ipBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(ipBucket("::1")).toBe("0:0:0:0::/64");
    expect(ipBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(ipBucket("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });

  it("unwraps IPv4-mapped IPv6 addresses", () => {
    expect(ipBucket("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(ipBucket("::ffff:c633:6407")).toBe("198.51.100.7");
  });

  it("puts requests without an address into one shared bucket", () => {
    expect(ipBucket(null)).toBe(UNKNOWN_IP);
    expect(ipBucket("")).toBe(UNKNOWN_IP);
  });

  it("never lets a separator into a key", () => {
    expect(ipBucket("not an address|x")).not.toContain("|");
  });
});

describe("throttleKeys", () => {
  it("keeps account ids and typed identifiers in separate namespaces", () => {
    expect(throttleKeys.user("usr_1")).not.toBe(throttleKeys.login("usr_1"));
    expect(throttleKeys.userIp("usr_1", "1.2.3.4").startsWith(throttleKeys.userIpPrefix("usr_1"))).toBe(true);
    expect(throttleKeys.userIp("usr_12", "1.2.3.4").startsWith(throttleKeys.userIpPrefix("usr_1"))).toBe(
      false,
    );
  });
});
