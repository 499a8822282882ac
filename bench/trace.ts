// BENCH_TRACE=1: what a benchmark process logs to find the cause of a slow request — each pause of its
// event loop over 40 ms and each of its collector's pauses over 20 ms, with the wall-clock time (ms since
// 1970) it ended, on stderr. Lined up with the visitor's slow requests (bench:jobs logs their times too),
// a pause in both the server and the visitor's process at once is the machine, not the server.
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export function traceStalls(who: string): void {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (e.duration > 20) console.error(`[gc ${who}] kind ${kind} ${e.duration.toFixed(0)} ms, ended at ${Math.round(performance.timeOrigin + e.startTime + e.duration)}`);
    }
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 45) console.error(`[stall ${who}] event loop late ${(now - last - 5).toFixed(0)} ms, ended at ${Date.now()}`);
    last = now;
  }, 5).unref();
}
