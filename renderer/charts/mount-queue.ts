// Charts are created one per task: building several chart.js charts in one go (e.g. the four PSA
// charts when a result arrives) would block the UI thread for a few hundred milliseconds.
import { useEffect, useState } from 'react';

type Waiter = () => void;
const queue: Waiter[] = [];
let scheduled = false;

function pump(): void {
  scheduled = false;
  const next = queue.shift();
  if (next) next();
  if (queue.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // A macrotask after the browser has had a chance to paint and handle input.
  setTimeout(pump, 16);
}

/** False until this component's turn comes; then true for the rest of its life. */
export function useMountSlot(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    const waiter = () => {
      if (live) setReady(true);
    };
    queue.push(waiter);
    schedule();
    return () => {
      live = false;
      const i = queue.indexOf(waiter);
      if (i >= 0) queue.splice(i, 1);
    };
  }, []);
  return ready;
}
