/**
 * Nothing a run starts outlives it: real processes that try to (children,
 * daemons that double-fork and call setsid, processes that ignore SIGTERM,
 * a process that starts another later, one that keeps forking), at the end
 * of a run, on timeout, on Cancel and when the server exits. Linux holds
 * this for daemons too (the launcher is a child subreaper); elsewhere only
 * the process group is killed, and those tests are skipped.
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type InterpreterInfo, RunRequest } from '../../protocol';
import { exitSummary, runScript } from '../../server/runtime/runner';
import { waitFor } from '../helpers/deadline';
import { LspClient } from '../helpers/lspClient';
import { tempDir, testPythons } from '../helpers/pythons';
import { helloOf, runSpec, writeScript } from '../helpers/runs';

/** The roles the script starts, each of which says when it is up (the late one's grandchild only if it ever starts). */
const ROLES = ['daemon', 'stubborn', 'late', 'spawner'];
/** How long the late process sleeps before it starts its grandchild. */
const LATE_S = 1;

/**
 * Starts the processes that try to outlive the run, waits until each is up,
 * then ends (`exit`) or runs until it is killed (`spin`). Each process appends
 * "role pid starttime" to the file named by argv[1], the start time from
 * /proc so that a pid reused later is not taken for it.
 */
const ESCAPES = `import os, signal, sys, time
PIDS, MODE = sys.argv[1], sys.argv[2]

def note(role):
    start = open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19]
    with open(PIDS, "a") as f:
        f.write("%s %d %s\\n" % (role, os.getpid(), start))

def spawn(body):
    """body() in a forked child, which never comes back here."""
    if os.fork() == 0:
        try:
            body()
        finally:
            os._exit(0)

def detach():
    """As a daemon does: a session (and process group) of its own, SIGTERM ignored."""
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

def forever(role):
    note(role)
    time.sleep(600)

def daemon():
    # The classic double fork: the middle process ends, the daemon is an orphan in its own session.
    detach()
    spawn(lambda: forever("daemon"))

def stubborn():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    forever("stubborn")

def late():
    detach()
    note("late")
    time.sleep(${LATE_S})
    spawn(lambda: (detach(), forever("late-grandchild")))
    time.sleep(600)

def spawner():
    # Keeps starting new sessions: some start while the run is being ended.
    detach()
    note("spawner")
    for _ in range(300):
        spawn(lambda: (detach(), forever("spawned")))
        time.sleep(0.02)
    time.sleep(600)

def up():
    if not os.path.exists(PIDS):
        return set()
    with open(PIDS) as f:
        return {line.split()[0] for line in f}

for body in (daemon, stubborn, late, spawner):
    spawn(body)
while not {${ROLES.map((r) => `"${r}"`).join(', ')}} <= up():
    time.sleep(0.01)
print("up", os.getpid(), flush=True)
while MODE == "spin":
    time.sleep(0.05)
`;

interface Started {
  role: string;
  pid: number;
  start: string;
}

function startedIn(file: string): Started[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [role, pid, start] = line.split(' ');
      return { role: role!, pid: Number(pid), start: start! };
    });
}

/** process.kill(pid, 0): true when there is a process (or, for a negative pid, a group) to signal. */
function signals(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Still running: the same process (its start time), not a zombie waiting to be reaped. */
function running(p: { pid: number; start?: string }): boolean {
  if (process.platform !== 'linux') return signals(p.pid);
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${p.pid}/stat`, 'latin1');
  } catch {
    return false;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[0] !== 'Z' && fields[0] !== 'X' && (p.start === undefined || fields[19] === p.start);
}

/** Waits until every process the script noted is gone, and says which were not. */
async function allGone(file: string, what: string): Promise<Started[]> {
  const noted = startedIn(file);
  for (const role of ROLES)
    assert.ok(
      noted.some((p) => p.role === role),
      `${what}: ${role} was never up (${JSON.stringify(noted)})`,
    );
  // SIGKILL is asynchronous: give the kernel a moment.
  await waitFor(() => !startedIn(file).some(running), `${what}: ${JSON.stringify(startedIn(file).filter(running))} gone`, 5_000);
  return noted;
}

/** Waits past the late process's sleep: had anything survived the run, it would have started more by then. */
async function nothingStartsLater(file: string, what: string): Promise<void> {
  const noted = startedIn(file).length;
  await new Promise((r) => setTimeout(r, LATE_S * 1000 + 700));
  assert.deepEqual(startedIn(file).slice(noted), [], `${what}: started after the run`);
  assert.deepEqual(startedIn(file).filter(running), [], `${what}: running after the run`);
}

function allUp(file: string): Promise<boolean> {
  return waitFor(() => ROLES.every((role) => startedIn(file).some((p) => p.role === role)), 'every process up');
}

/** The pid files of this test's scripts: what a failing test left running is killed after it. */
const pidFiles: string[] = [];

function escapes(dir: string): { file: string; pids: string } {
  const pids = path.join(dir, 'pids');
  pidFiles.push(pids);
  return { file: writeScript(dir, 'escapes.py', ESCAPES), pids };
}

function killNoted(file: string): void {
  const kill = (p: Started) => running(p) && process.kill(p.pid, 'SIGKILL');
  // Those that start others first, so that the list is whole.
  startedIn(file)
    .filter((p) => p.role === 'spawner' || p.role === 'late')
    .forEach(kill);
  startedIn(file).forEach(kill);
}

describe('runs end with everything they started', function () {
  this.timeout(240_000);
  let pythons: InterpreterInfo[];

  before(async () => {
    pythons = await testPythons();
  });
  afterEach(() => pidFiles.splice(0).forEach(killNoted));

  it('kills an endless script at its timeout with a subprocess child and a multiprocessing child: no process of its group is left', async () => {
    for (const python of pythons) {
      const dir = tempDir('run-loop');
      const file = writeScript(
        dir,
        'loop.py',
        [
          'import multiprocessing, os, subprocess, sys, time',
          'def spin():',
          '    while True: time.sleep(0.1)',
          'if __name__ == "__main__":',
          '    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])',
          '    worker = multiprocessing.Process(target=spin); worker.start()',
          '    print("children", child.pid, worker.pid, os.getpgrp(), flush=True)',
          '    while True: pass',
          '',
        ].join('\n'),
      );
      let out = '';
      const outcome = await runScript(runSpec(python, file, { timeoutMs: 4_000, onOutput: (_s, t) => (out += t) }));
      assert.equal(outcome.exit.timedOut, true, python.versionText);
      assert.match(exitSummary(outcome.exit, 4_000, 2048), /timed out after 4 s/);
      const pids = /children (\d+) (\d+) (\d+)/.exec(out);
      assert.ok(pids, `${python.versionText}: ${out}`);
      const script = helloOf(outcome.messages)!.pid;
      await waitFor(
        () => [pids[1], pids[2], script].every((pid) => !running({ pid: Number(pid) })),
        `${python.versionText}: the children dead`,
        5_000,
      );
      // A zombie still counts in its group until init, its parent now, reaps it.
      await waitFor(() => !signals(-Number(pids[3])), `${python.versionText}: no process left in the group`, 5_000);
    }
  });

  describe('daemons too, on Linux (the launcher is a child subreaper)', function () {
    before(function () {
      if (process.platform !== 'linux') this.skip();
    });

    it('the script’s own process group, killed alone, would leave them running (what the tests below guard against)', async () => {
      const { file, pids } = escapes(tempDir('escape-group'));
      const python = pythons[0]!;
      const plain = cp.spawn(python.executable, [file, pids, 'spin'], { detached: true, stdio: 'ignore' });
      await allUp(pids);
      process.kill(-plain.pid!, 'SIGKILL');
      await waitFor(() => startedIn(pids).some((p) => p.role === 'late-grandchild' && running(p)), 'the late grandchild up');
      const left = startedIn(pids).filter(running);
      for (const role of ['daemon', 'late', 'spawner'])
        assert.ok(
          left.some((p) => p.role === role),
          `${role} survived the group: ${JSON.stringify(left)}`,
        );
      assert.equal(
        left.some((p) => p.role === 'stubborn'),
        false,
        'the one that kept the group died with it',
      );
    });

    it('at the end of a run, on every CPython: the run ends when the script does, and what it left running is killed and reported', async () => {
      for (const python of pythons) {
        const { file, pids } = escapes(tempDir('escape-end'));
        const started = Date.now();
        const outcome = await runScript(runSpec(python, file, { args: [pids, 'exit'] }));
        assert.equal(outcome.exit.status, 0, python.versionText);
        assert.equal(outcome.exit.leftover, true, `${python.versionText}: the leftover reported`);
        assert.ok(Date.now() - started < 15_000, `${python.versionText}: the run took ${Date.now() - started} ms`);
        const noted = await allGone(pids, python.versionText);
        // The late process was still asleep when the script ended: its grandchild would start after the run.
        assert.equal(
          noted.some((p) => p.role === 'late-grandchild'),
          false,
          python.versionText,
        );
        await nothingStartsLater(pids, python.versionText);
      }
    });

    it('on timeout', async () => {
      const python = pythons[0]!;
      const { file, pids } = escapes(tempDir('escape-timeout'));
      let out = '';
      const outcome = await runScript(runSpec(python, file, { args: [pids, 'spin'], timeoutMs: 8_000, onOutput: (_s, t) => (out += t) }));
      assert.equal(outcome.exit.timedOut, true);
      assert.match(out, /^up /, 'every process was up before the timeout');
      await allGone(pids, 'timeout');
      await nothingStartsLater(pids, 'timeout');
    });

    it('on Cancel', async () => {
      const python = pythons[0]!;
      const { file, pids } = escapes(tempDir('escape-cancel'));
      const listeners: Array<() => void> = [];
      const token = {
        isCancellationRequested: false,
        onCancellationRequested: (listener: () => void) => (listeners.push(listener), { dispose: () => {} }),
      };
      const run = runScript(runSpec(python, file, { args: [pids, 'spin'], timeoutMs: 60_000, token }));
      await allUp(pids);
      token.isCancellationRequested = true;
      for (const listener of listeners) listener();
      const outcome = await run;
      assert.equal(outcome.exit.cancelled, true);
      await allGone(pids, 'cancel');
      await nothingStartsLater(pids, 'cancel');
    });

    for (const how of ['shuts down', 'is killed'] as const)
      it(`when the server ${how} during a run`, async () => {
        const python = pythons[0]!;
        const { file, pids } = escapes(tempDir('escape-server'));
        const { client } = await LspClient.start({
          interpreterPath: python.executable,
          precompile: { enabled: false },
          runtime: { trusted: true, timeoutMs: 60_000 },
        });
        try {
          const uri = await client.open(file, ESCAPES);
          void client.connection
            .sendRequest(RunRequest.type, { textDocument: { uri }, view: 'gc', runId: 's', args: [pids, 'spin'] })
            .catch(() => {});
          await allUp(pids);
          if (how === 'is killed') {
            // Killed, the server cleans nothing up: the launcher sees its parent die (PR_SET_PDEATHSIG).
            const exited = new Promise((r) => client.process.once('exit', r));
            client.process.kill('SIGKILL');
            await exited;
          }
        } finally {
          await client.stop();
        }
        await allGone(pids, `server ${how}`);
        await nothingStartsLater(pids, `server ${how}`);
      });
  });
});
