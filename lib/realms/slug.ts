import { z } from "zod";

/** Path segments the portal itself uses; a realm may not take them. */
const reserved = new Set([
  "api",
  "admin",
  "_next",
  "static",
  "public",
  "health",
  "favicon.ico",
  "robots.txt",
  "dev",
  "assets",
  "connect",
  "login",
  "signup",
  "logout",
]);

export const realmSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])$/, "slug.invalid")
  .refine((slug) => !reserved.has(slug), "slug.reserved");
