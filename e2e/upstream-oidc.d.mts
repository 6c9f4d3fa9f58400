import type { Server } from "node:http";

export const UPSTREAM_CLIENT_ID: string;
export const UPSTREAM_CLIENT_SECRET: string;
export function claimsOf(login: string): Record<string, unknown>;
export function startUpstreamOidc(options: {
  port: number;
  portalUrl: string;
}): Promise<{ issuer: string; server: Server }>;
