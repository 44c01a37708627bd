/**
 * A progress bar on stderr for long work (only when stderr is a terminal, so
 * logs and CI output stay clean). stdout is never touched: loaders own it.
 */
import cliProgress from "cli-progress";

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(label: string, {enabled = Boolean(process.stderr.isTTY)} = {}): Progress {
  if (!enabled) return {update() {}, stop() {}};
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    // Once stopped, a bar stays stopped (a late update does not draw it again).
    update(done, total) {
      if (stopped) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
