// Runs a piece of background work at most once at a time: a kick while it runs schedules exactly
// one more run, and an optional timer kicks it periodically (to pick up work nobody announced).
export interface SingleFlight {
  kick(): void;
  /** Resolves when no run is in progress or scheduled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function singleFlight(work: () => Promise<unknown>, onError: (error: unknown) => void, everyMs?: number): SingleFlight {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const kick = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = work()
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const timer = everyMs ? setInterval(kick, everyMs) : null;
  timer?.unref();
  kick();
  return {
    kick,
    async idle() {
      while (running) await running;
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
