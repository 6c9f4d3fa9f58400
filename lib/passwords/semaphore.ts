/**
 * A counting semaphore: password hashing gets its own bounded queue so that a burst of logins
 * cannot starve the libuv pool that crypto, fs and dns share (shared/STACK-NOTES.md).
 */
export function createSemaphore(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await task();
      } finally {
        active--;
        waiting.shift()?.();
      }
    },
    get pending() {
      return waiting.length;
    },
  };
}
