/**
 * Work that must finish before the process exits (the email worker hands back what it claimed).
 * scripts/serve.mjs, which owns the process and its signals, calls `globalThis.__gatehouseShutdown()`
 * on SIGTERM/SIGINT; it is a global because that script and the bundled app share no modules.
 */
type Hook = () => Promise<void>;

const holder = globalThis as typeof globalThis & {
  __gatehouseShutdownHooks?: Hook[];
  __gatehouseShutdown?: () => Promise<void>;
};

/** Runs every registered hook at once; one that fails is logged and does not stop the others. */
export async function runShutdownHooks(log: (line: string) => void = console.error): Promise<void> {
  const hooks = holder.__gatehouseShutdownHooks ?? [];
  holder.__gatehouseShutdownHooks = [];
  await Promise.all(
    hooks.map((hook) =>
      hook().catch((error) => log(`[shutdown] ${error instanceof Error ? error.message : String(error)}`)),
    ),
  );
}

export function onShutdown(hook: Hook): void {
  holder.__gatehouseShutdownHooks ??= [];
  holder.__gatehouseShutdownHooks.push(hook);
  holder.__gatehouseShutdown ??= () => runShutdownHooks();
}
