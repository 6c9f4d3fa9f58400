// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The database drivers stay outside the server bundle: PGlite's WASM must not be copied into
  // static assets, and postgres.js is plain Node code (see shared/STACK-NOTES.md).
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "bcrypt", "nodemailer"],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    serverActions: { bodySizeLimit: "64kb" },
  },
};

module.exports = nextConfig;
