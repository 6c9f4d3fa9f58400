import { describe, expect, it } from "vitest";
import type { App, Apps } from "@/lib/apps";
import { isAppError } from "@/lib/errors";
import { type EntryParams, entryToParams, profilePageUrl, readEntryParams, resolveEntry } from "./entry";

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return undefined;
}

describe("readEntryParams", () => {
  it("reads the known string parameters and ignores the rest", () => {
    expect(
      readEntryParams({
        redirect_uri: "https://app.example.com/cb",
        state: "xyz",
        client_id: "app_1",
        prompt: "login",
        redir: "/settings?tab=2",
        other: ["anything"],
      }),
    ).toEqual({
      redirect_uri: "https://app.example.com/cb",
      state: "xyz",
      client_id: "app_1",
      prompt: "login",
      redir: "/settings?tab=2",
    });
  });

  it("treats empty strings as absent", () => {
    expect(readEntryParams({ state: "", redir: "" })).toEqual({});
  });

  it.each([
    ["a repeated parameter", { state: ["a", "b"] }],
    ["a number", { client_id: 5 }],
    ["an object", { redirect_uri: { href: "https://evil.com" } }],
    ["null", { prompt: null }],
  ])("refuses %s", (_label, source) => {
    const expected = "redirect_uri" in source ? "redirect_uri.invalid" : "entry.invalid";
    expect(errorCode(() => readEntryParams(source))).toBe(expected);
  });

  it.each([
    ["redirect_uri", 2049],
    ["state", 1025],
    ["client_id", 65],
    ["prompt", 33],
  ])("refuses an oversize %s", (key, length) => {
    // Only a bad return address is called one; a bad state or client_id is a malformed link.
    const expected = key === "redirect_uri" ? "redirect_uri.invalid" : "entry.invalid";
    expect(errorCode(() => readEntryParams({ [key]: "x".repeat(length) }))).toBe(expected);
    expect(errorCode(() => readEntryParams({ [key]: "x".repeat(length - 1) }))).toBeUndefined();
  });

  it("accepts redir as a relative path", () => {
    expect(readEntryParams({ redir: "/" }).redir).toBe("/");
    expect(readEntryParams({ redir: "/a/b?c=d&e=//f" }).redir).toBe("/a/b?c=d&e=//f");
  });

  it.each([
    "//evil.com",
    "/\\evil.com",
    "/a\\b",
    "https://evil.com",
    "evil.com",
    "javascript:alert(1)",
    "/a b",
    "/a\tb",
    "/\nevil",
    `/${"x".repeat(1024)}`,
  ])("refuses redir %j", (redir) => {
    expect(errorCode(() => readEntryParams({ redir }))).toBe("entry.invalid");
  });
});

describe("resolveEntry", () => {
  const app = {
    id: "app_1",
    redirectUris: ["https://app.example.com/callback", "https://app.example.com/other"],
    allowSubpaths: false,
  } as unknown as App;
  const apps = {
    resolve: async (_realmId: string, clientId: string | undefined) => {
      if (clientId && clientId !== "app_1") throw new Error("unexpected client");
      return app;
    },
  } as unknown as Apps;
  const resolve = (params: EntryParams) => resolveEntry(apps, "rl_1", params);

  it("uses a registered redirect_uri in its normalised form and echoes state", async () => {
    const entry = await resolve({
      redirect_uri: "https://APP.example.com:443/other",
      state: "s",
      client_id: "app_1",
    });
    expect(entry.redirectUri).toBe("https://app.example.com/other");
    expect(entry.state).toBe("s");
    expect(entry.forceLogin).toBe(false);
  });

  it("falls back to the first registered URI when none is given", async () => {
    expect((await resolve({})).redirectUri).toBe("https://app.example.com/callback");
  });

  it("refuses an unregistered redirect_uri instead of falling back", async () => {
    await expect(resolve({ redirect_uri: "https://evil.com/callback" })).rejects.toMatchObject({
      code: "redirect_uri.invalid",
    });
  });

  it("forces a fresh login only for prompt=login", async () => {
    expect((await resolve({ prompt: "login" })).forceLogin).toBe(true);
    expect((await resolve({ prompt: "none" })).forceLogin).toBe(false);
  });

  it("carries the entry through forms", async () => {
    const entry = await resolve({ state: "s", redir: "/x" });
    expect(entryToParams(entry)).toEqual({
      client_id: "app_1",
      redirect_uri: "https://app.example.com/callback",
      state: "s",
      redir: "/x",
    });
  });
});

describe("readEntryParams: redir hardening", () => {
  it.each(["/%2f%2fevil.com", "/%5cevil.com", "/a%0d%0aSet-Cookie:x", "/%2F%2Fevil.com"])(
    "refuses the encoded trick %s",
    (redir) => {
      expect(() => readEntryParams({ redir })).toThrow(expect.objectContaining({ code: "entry.invalid" }));
    },
  );

  it("keeps an ordinary relative path with a query", () => {
    expect(readEntryParams({ redir: "/projects/42?tab=settings" }).redir).toBe("/projects/42?tab=settings");
  });
});

describe("return_to=profile", () => {
  const app = {
    id: "app_1",
    name: "Acme",
    redirectUris: ["https://app.example.com/callback"],
    allowSubpaths: false,
  } as unknown as App;
  const apps = { resolve: async () => app } as unknown as Apps;

  it("is a fixed marker: any other value is a malformed link", () => {
    expect(readEntryParams({ return_to: "profile" }).return_to).toBe("profile");
    for (const value of ["https://evil.example/", "/profile", "Profile", "settings"]) {
      expect(errorCode(() => readEntryParams({ return_to: value }))).toBe("entry.invalid");
    }
  });

  it("without a return address it names no app, and carries only the marker", async () => {
    const entry = await resolveEntry(apps, "rl_1", { return_to: "profile", state: "s", redir: "/x" });
    expect(entry).toMatchObject({ returnTo: "profile", app: null, redirectUri: null, state: undefined });
    expect(entryToParams(entry)).toEqual({ return_to: "profile" });
    expect(profilePageUrl("https://id.example/acme", "profile", entry)).toBe(
      "https://id.example/acme/profile",
    );
  });

  it("with a registered return address it keeps it for the profile's back link", async () => {
    const entry = await resolveEntry(apps, "rl_1", {
      return_to: "profile",
      redirect_uri: "https://app.example.com/callback",
    });
    expect(entry).toMatchObject({ returnTo: "profile", redirectUri: "https://app.example.com/callback" });
    expect(profilePageUrl("https://id.example/acme", "login", entry)).toBe(
      "https://id.example/acme/login?return_to=profile&client_id=app_1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback",
    );
  });

  it("an unregistered return address is refused like on any login", async () => {
    await expect(
      resolveEntry(apps, "rl_1", { return_to: "profile", redirect_uri: "https://evil.example/" }),
    ).rejects.toMatchObject({ code: "redirect_uri.invalid" });
  });
});
