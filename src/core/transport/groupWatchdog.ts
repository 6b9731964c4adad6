// Ends the stdio servers' process groups when the host dies without running any JavaScript
// (SIGKILL, the OOM killer): then neither deactivate() nor the exit hook runs, and a server that
// ignores both the end of its stdin and SIGTERM (or a process it started, such as a browser) would
// live on. Node has no parent-death signal, so a watchdog holds the list of live groups instead:
//
// - a POSIX shell (~1 MB; no Node process), started with the first stdio server, never at activation;
// - in its own session, and not our child: the shell we spawn starts it in the background and exits,
//   so it is not counted among our children, is not in any process group the host's killer targets,
//   and cannot leave us a zombie;
// - fed "+PGID" / "-PGID" lines on a pipe as servers start and are reaped. When the pipe closes (the
//   host is gone, however it died, or exited normally), it sends SIGTERM to every group still
//   listed, waits WATCHDOG_GRACE_S, sends SIGKILL, and exits. A host that stopped its servers leaves
//   an empty list, and the watchdog just exits.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/** Seconds between the watchdog's SIGTERM and SIGKILL. */
export const WATCHDOG_GRACE_S = 1;

// Runs in the background subshell. Its stdin is /dev/null (asynchronous lists in a non-interactive
// shell get that), so the list arrives on fd 3. `groups` is a space-delimited set: " 12 34 ".
const SCRIPT = `(
  exec </dev/null >/dev/null 2>&1
  groups=" "
  while IFS= read -r line <&3; do
    case "$line" in
      +*) groups="$groups\${line#+} " ;;
      -*) id="\${line#-}"
          case "$groups" in *" $id "*) groups="\${groups%% $id *} \${groups#* $id }" ;; esac ;;
    esac
  done
  [ "$groups" = " " ] && exit 0
  for g in $groups; do kill -s TERM -- "-$g"; done
  sleep ${WATCHDOG_GRACE_S}
  for g in $groups; do kill -s KILL -- "-$g"; done
) &`;

export class GroupWatchdog {
  private pipe?: Socket;
  private readonly groups = new Set<number>();

  /** Whether a watchdog can run here (POSIX with /bin/sh). */
  static readonly supported = process.platform !== 'win32';

  add(pgid: number): void {
    this.groups.add(pgid);
    if (!GroupWatchdog.supported) return;
    if (this.pipe) this.send(`+${pgid}\n`);
    else this.start();
  }

  remove(pgid: number): void {
    if (this.groups.delete(pgid)) this.send(`-${pgid}\n`);
  }

  private start(): void {
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], detached: true });
    } catch {
      return; // no shell: the exit hook and the stdin EOF remain the protection
    }
    child.on('error', () => (this.pipe = undefined));
    child.unref();
    const pipe = child.stdio[3] as Socket;
    // The pipe must not keep the host's event loop alive, and a dead watchdog is replaced on next use.
    pipe.unref();
    pipe.on('error', () => {
      if (this.pipe === pipe) this.pipe = undefined;
    });
    this.pipe = pipe;
    this.send([...this.groups].map((g) => `+${g}\n`).join(''));
  }

  private send(text: string): void {
    if (!text || !this.pipe || this.pipe.destroyed) return;
    this.pipe.write(text);
  }
}
