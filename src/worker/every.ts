/**
 * Runs `task` now and then every `ms`, never two runs at once (a slow run is
 * not stacked on); the timer does not keep the process alive. Returns the timer.
 */
export function every(ms: number, task: () => Promise<unknown>, onError: (err: unknown) => void, runNow = false): NodeJS.Timeout {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    task().catch(onError).finally(() => { running = false; });
  };
  if (runNow) run();
  const timer = setInterval(run, ms);
  timer.unref();
  return timer;
}
