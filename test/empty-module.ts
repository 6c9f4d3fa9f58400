// Stands in for `server-only` under vitest and scripts, which are server code by definition.
export {};
