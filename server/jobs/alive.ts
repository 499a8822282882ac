// Whether a process is still running (a signal 0 reaches it): work recorded as running by a process
// that is gone was interrupted.
export const processAlive = (pid: unknown): boolean => {
  if (typeof pid !== 'number') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};
