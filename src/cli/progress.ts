import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressSink } from '../checks/checkContext.ts';

export interface ProgressReporter {
  readonly onProgress: ProgressSink;
  stop(): void;
}

/**
 * A battery progress bar with ETA on stderr (cli-progress). Disabled (a no-op) when stderr is not a terminal or
 * output is JSON, so pipes and CI logs stay clean.
 */
export function createProgressReporter(options: { readonly enabled: boolean }): ProgressReporter {
  if (!options.enabled) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: 'battery [{bar}] {value}/{total} checks | ETA {eta_formatted} | {check}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let done = 0;
  return {
    onProgress(event: ProgressEvent) {
      if (event.type === 'battery-start') {
        bar.start(event.checks.length, 0, { check: '' });
        started = true;
      } else if (event.type === 'check-start' && started) {
        bar.update(done, { check: event.checkId });
      } else if (event.type === 'check-end' && started) {
        done += 1;
        bar.update(done, { check: `${event.checkId}: ${event.verdict ?? event.status}` });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
