/**
 * A run's process tree on Linux, read from /proc. The run's launcher is a
 * child subreaper (server/python/pyruntime/reaper.py): while it lives, every
 * process its script started stays below it, daemons that double-forked and
 * called `setsid` included, so the tree below it is the whole run, whatever
 * process group or session each process chose.
 */
import * as fs from 'node:fs';

/**
 * SIGKILL every live process below `root` (not `root` itself), in rounds
 * until a round finds none it has not killed: a process forked while a round
 * ran is found by the next, and one that was killed can fork no more. Returns
 * how many it killed; 0 where there is no /proc. Synchronous, so the server
 * can do it on its way out. `root` must still be a live child of ours (its
 * pid not yet reaped, so not reused).
 */
export function killDescendants(root: number): number {
  const killed = new Set<number>();
  for (;;) {
    const fresh = descendants(root).filter((pid) => !killed.has(pid));
    if (fresh.length === 0) return killed.size;
    for (const pid of fresh) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended since the scan
      }
      killed.add(pid);
    }
  }
}

/** The live processes below `root` (zombies left out: they have no children left). */
export function descendants(root: number): number[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue; // gone since the listing
    }
    // After the command name, which may hold spaces and parentheses: state, ppid, ...
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') continue;
    const parent = Number(ppid);
    const list = children.get(parent);
    if (list) list.push(Number(name));
    else children.set(parent, [Number(name)]);
  }
  const found: number[] = [];
  const todo = [root];
  while (todo.length) {
    for (const pid of children.get(todo.pop()!) ?? []) {
      found.push(pid);
      todo.push(pid);
    }
  }
  return found;
}
