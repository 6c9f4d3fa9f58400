import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";

/**
 * Outbound HTTP to a social-login provider (DESIGN section 6): the provider's URLs are realm data,
 * typed in by an admin, so a request must never reach the installation's own network. Every request
 * goes through `createOutboundFetch`:
 * - https only;
 * - the host name is resolved once, every address it resolves to is checked, and the connection is
 *   pinned to the checked address (the socket's `lookup` returns it), so a second DNS answer cannot
 *   swap in a private address between the check and the connect (DNS rebinding);
 * - redirects are not followed; a timeout and a response size cap bound what a provider can cost us.
 * `allowInsecure` (GATEHOUSE_ALLOW_INSECURE_UPSTREAM=1, tests and development) lifts the https and
 * address rules, never the timeout or the size cap.
 */

export const OUTBOUND_TIMEOUT_MS = 10_000;
export const OUTBOUND_MAX_BYTES = 1024 * 1024;

/** Why an outbound request was refused before anything was sent. */
export class OutboundRefused extends Error {
  constructor(
    readonly reason: "protocol" | "address" | "resolve" | "too_large" | "timeout",
    message: string,
  ) {
    super(message);
    this.name = "OutboundRefused";
  }
}

type AddressClass =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "link_local"
  | "unique_local"
  | "cgnat"
  | "multicast"
  | "reserved";

function parseIpv4(address: string): number | null {
  const parts = address.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a dotted IPv4 tail expanded), or null. */
export function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [Math.floor(v4 / 65536), v4 % 65536];
    // Two placeholder groups, replaced by the IPv4 address's below.
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const read = (s: string) => (s === "" ? [] : s.split(":"));
  const head = read(halves[0] ?? "");
  const rest = halves.length === 2 ? read(halves[1] ?? "") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const values = groups.map((g) => Number.parseInt(g, 16));
  if (tail.length) values.splice(6, 2, ...tail);
  return values;
}

function classifyIpv4(value: number): AddressClass {
  const a = Math.floor(value / 2 ** 24);
  const b = Math.floor(value / 2 ** 16) % 256;
  const c = Math.floor(value / 2 ** 8) % 256;
  if (a === 0) return "unspecified"; // 0.0.0.0/8: "this network"
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 169 && b === 254) return "link_local";
  if (a === 100 && b >= 64 && b <= 127) return "cgnat";
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved"; // 240/4 and the broadcast address
  // IETF protocol assignments, benchmarking and the documentation ranges.
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return "reserved";
  if (a === 198 && (b === 18 || b === 19)) return "reserved";
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return "reserved";
  if (a === 192 && b === 88 && c === 99) return "reserved"; // 6to4 relay anycast (deprecated)
  return "public";
}

function classifyIpv6(groups: number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const v4 = g6 * 65536 + g7;
  const zeroHead = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroHead && g5 === 0) {
    if (g6 === 0 && g7 === 0) return "unspecified";
    if (g6 === 0 && g7 === 1) return "loopback";
    // `::a.b.c.d`, the deprecated IPv4-compatible form: judged as the IPv4 address it carries.
    return classifyIpv4(v4);
  }
  // `::ffff:a.b.c.d` (IPv4-mapped) and `64:ff9b::a.b.c.d` (NAT64): the IPv4 address decides.
  if (zeroHead && g5 === 0xffff) return classifyIpv4(v4);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyIpv4(v4);
  // Local-use NAT64 (`64:ff9b:1::/48`, RFC 8215) reaches whatever IPv4 network the site routes: refused.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return "reserved";
  // `::ffff:0:a.b.c.d` (IPv4-translated, RFC 2765) and `100::/64` (discard-only, RFC 6666).
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) return "reserved";
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return "reserved";
  if ((g0 & 0xfe00) === 0xfc00) return "unique_local";
  if ((g0 & 0xffc0) === 0xfe80) return "link_local";
  if ((g0 & 0xffc0) === 0xfec0) return "reserved"; // site-local, deprecated
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (g0 === 0x2001 && g1 === 0x0db8) return "reserved"; // documentation
  if (g0 === 0x2002) return classifyIpv4(g1 * 65536 + g2); // 6to4 embeds an IPv4 address
  return "public";
}

/** What kind of address this is; anything that does not parse counts as "reserved" (refused). */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 4) {
    const value = parseIpv4(address);
    return value === null ? "reserved" : classifyIpv4(value);
  }
  if (family === 6 || address.includes(":")) {
    const groups = ipv6Groups(address);
    return groups ? classifyIpv6(groups) : "reserved";
  }
  return "reserved";
}

/** Whether a request may go to this address (public unicast only). */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === "public";
}

export interface OutboundOptions {
  /** GATEHOUSE_ALLOW_INSECURE_UPSTREAM=1: http and private addresses allowed (tests, development). */
  allowInsecure: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Resolves a host name to all of its addresses (tests pass a fake). */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

const defaultResolve = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Checks a URL and picks the address to connect to. Throws `OutboundRefused` for a non-https URL, a
 * host that does not resolve, or a host any of whose addresses is not public.
 */
export async function checkOutboundUrl(
  url: URL,
  options: Pick<OutboundOptions, "allowInsecure" | "resolve">,
): Promise<{ address: string; family: 4 | 6 }> {
  if (url.protocol !== "https:" && !(options.allowInsecure && url.protocol === "http:"))
    throw new OutboundRefused("protocol", `refused ${url.protocol} URL: https only`);
  if (url.username || url.password)
    throw new OutboundRefused("protocol", "refused a URL with credentials in it");
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await (options.resolve ?? defaultResolve)(host);
    } catch {
      throw new OutboundRefused("resolve", `could not resolve ${host}`);
    }
  }
  const [first] = addresses;
  if (!first) throw new OutboundRefused("resolve", `no address for ${host}`);
  if (!options.allowInsecure) {
    // Every address must be public: a name that also resolves to a private one is refused outright.
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) throw new OutboundRefused("address", `refused ${host}: ${classifyAddress(bad.address)} address`);
  }
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** The part of `RequestInit` that oauth4webapi and the profile requests use. */
export interface OutboundInit {
  method?: string;
  headers?: HeadersInit;
  body?: string | URLSearchParams | Uint8Array | ArrayBuffer | ReadableStream | null;
  signal?: AbortSignal | null;
  redirect?: string;
}

function headersOf(init: OutboundInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function bodyOf(body: OutboundInit["body"]): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(new Uint8Array(body));
  throw new TypeError("unsupported request body");
}

/**
 * A `fetch` for oauth4webapi's `customFetch` (and the profile requests): node:http(s) with the
 * connection pinned to the checked address, answered as a WHATWG `Response`.
 */
export function createOutboundFetch(options: OutboundOptions) {
  const timeoutMs = options.timeoutMs ?? OUTBOUND_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? OUTBOUND_MAX_BYTES;

  return async function outboundFetch(input: string | URL, init?: OutboundInit): Promise<Response> {
    const url = new URL(input);
    const pinned = await checkOutboundUrl(url, options);
    const body = bodyOf(init?.body);
    const headers = headersOf(init);
    if (body) headers["content-length"] = String(body.length);
    // The socket's name lookup answers with the address that was checked, whatever DNS says now.
    const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if (lookupOptions.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
      else callback(null, pinned.address, pinned.family);
    };
    const transport = url.protocol === "https:" ? https : http;

    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(
        url,
        { method: init?.method ?? "GET", headers, lookup, timeout: timeoutMs },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              clearTimeout(deadline);
              reject(new OutboundRefused("too_large", `response over ${maxBytes} bytes`));
              response.removeAllListeners("data");
              request.destroy();
              return;
            }
            chunks.push(chunk);
          });
          response.on("error", (error) => {
            clearTimeout(deadline);
            reject(error);
          });
          response.on("end", () => {
            clearTimeout(deadline);
            const status = response.statusCode ?? 502;
            const responseHeaders = new Headers();
            for (const [key, value] of Object.entries(response.headers)) {
              if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
              else if (value !== undefined) responseHeaders.set(key, value);
            }
            const noBody = status === 204 || status === 304 || (init?.method ?? "GET") === "HEAD";
            try {
              resolve(
                new Response(noBody ? null : Buffer.concat(chunks), {
                  status: status < 200 || status > 599 ? 502 : status,
                  statusText: response.statusMessage,
                  headers: responseHeaders,
                }),
              );
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      // The whole exchange, not just idle time, is bounded.
      const deadline = setTimeout(
        () => request.destroy(new OutboundRefused("timeout", `no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      request.on("timeout", () =>
        request.destroy(new OutboundRefused("timeout", `no answer within ${timeoutMs} ms`)),
      );
      request.on("error", (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      const signal = init?.signal;
      if (signal) {
        if (signal.aborted) request.destroy(new Error("aborted"));
        else signal.addEventListener("abort", () => request.destroy(new Error("aborted")), { once: true });
      }
      request.end(body);
    });
  };
}

export type OutboundFetch = ReturnType<typeof createOutboundFetch>;
