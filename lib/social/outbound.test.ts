import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkOutboundUrl,
  classifyAddress,
  createOutboundFetch,
  ipv6Groups,
  OutboundRefused,
} from "./outbound";

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["93.184.216.34", "public"],
    ["0.0.0.0", "unspecified"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link_local"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["100.128.0.1", "public"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["fc00::1", "unique_local"],
    ["fd12:3456::1", "unique_local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "link_local"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::192.168.0.1", "private"],
    ["::127.0.0.1", "loopback"],
    ["2002:7f00:1::", "loopback"],
    ["2001:4860:4860::8888", "public"],
    ["2001:db8::1", "reserved"],
    ["64:ff9b:1::a00:1", "reserved"],
    ["::ffff:0:7f00:1", "reserved"],
    ["100::1", "reserved"],
    ["192.88.99.1", "reserved"],
    ["not-an-address", "reserved"],
    ["1::2::3", "reserved"],
  ])("%s is %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it("expands IPv6 forms", () => {
    expect(ipv6Groups("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(ipv6Groups("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups("1:2:3:4:5:6:7")).toBeNull();
  });
});

const resolveTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("checkOutboundUrl", () => {
  const strict = { allowInsecure: false };

  it("refuses http, credentials and private targets", async () => {
    const refusal = (url: string, resolve = resolveTo("93.184.216.34")) =>
      checkOutboundUrl(new URL(url), { ...strict, resolve }).then(
        () => null,
        (error: unknown) => (error instanceof OutboundRefused ? error.reason : error),
      );
    expect(await refusal("http://idp.example/token")).toBe("protocol");
    expect(await refusal("https://u:p@idp.example/token")).toBe("protocol");
    expect(await refusal("https://127.0.0.1/token")).toBe("address");
    expect(await refusal("https://[::1]/token")).toBe("address");
    expect(await refusal("https://[::ffff:10.0.0.1]/token")).toBe("address");
    expect(await refusal("https://169.254.169.254/latest/meta-data")).toBe("address");
    expect(await refusal("https://idp.example/token", resolveTo("10.0.0.5"))).toBe("address");
    // One private address among public ones is enough to refuse the name.
    expect(await refusal("https://idp.example/token", resolveTo("93.184.216.34", "fd00::1"))).toBe("address");
    expect(
      await refusal("https://idp.example/token", async () => {
        throw new Error("ENOTFOUND");
      }),
    ).toBe("resolve");
    expect(await refusal("https://idp.example/token")).toBeNull();
  });

  it("pins the checked address", async () => {
    const pinned = await checkOutboundUrl(new URL("https://idp.example/"), {
      ...strict,
      resolve: resolveTo("93.184.216.34"),
    });
    expect(pinned).toEqual({ address: "93.184.216.34", family: 4 });
  });

  it("lets GATEHOUSE_ALLOW_INSECURE_UPSTREAM through to loopback over http", async () => {
    const pinned = await checkOutboundUrl(new URL("http://localhost:9/"), {
      allowInsecure: true,
      resolve: resolveTo("127.0.0.1"),
    });
    expect(pinned.address).toBe("127.0.0.1");
  });
});

describe("createOutboundFetch", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/big") {
        res.end("x".repeat(4096));
      } else if (req.url === "/slow") {
        setTimeout(() => res.end("late"), 2000);
      } else if (req.url === "/redirect") {
        res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      } else {
        let body = "";
        req.on("data", (c) => {
          body += c;
        });
        req.on("end", () => {
          res.setHeader("content-type", "application/json");
          res.end(
            JSON.stringify({
              method: req.method,
              body,
              host: req.headers.host,
              auth: req.headers.authorization,
            }),
          );
        });
      }
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it("refuses a loopback server unless insecure upstreams are allowed", async () => {
    const strictFetch = createOutboundFetch({ allowInsecure: false });
    await expect(strictFetch(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(strictFetch(`https://127.0.0.1:${port}/`)).rejects.toMatchObject({ reason: "address" });
  });

  it("connects to the pinned address and answers with a Response", async () => {
    // The name resolves (in this fake) to the loopback server; the Host header keeps the name.
    const fetch = createOutboundFetch({ allowInsecure: true, resolve: resolveTo("127.0.0.1") });
    const response = await fetch(`http://idp.test:${port}/token`, {
      method: "POST",
      headers: { authorization: "Basic abc" },
      body: new URLSearchParams({ code: "c1" }),
    });
    expect(response).toBeInstanceOf(Response);
    expect(await response.json()).toEqual({
      method: "POST",
      body: "code=c1",
      host: `idp.test:${port}`,
      auth: "Basic abc",
    });
  });

  it("does not follow redirects", async () => {
    const fetch = createOutboundFetch({ allowInsecure: true });
    const response = await fetch(`http://127.0.0.1:${port}/redirect`);
    expect(response.status).toBe(302);
  });

  it("caps the response size and the time", async () => {
    const fetch = createOutboundFetch({ allowInsecure: true, maxBytes: 1024, timeoutMs: 300 });
    await expect(fetch(`http://127.0.0.1:${port}/big`)).rejects.toMatchObject({ reason: "too_large" });
    await expect(fetch(`http://127.0.0.1:${port}/slow`)).rejects.toMatchObject({ reason: "timeout" });
  });
});
