/**
 * Which Liner Notes processes run on a data folder: `liner serve` and `liner worker` each write
 * `<dataDir>/liner.<pid>.pid` (what it is, its pid and start time) while they run and remove it
 * on exit, so that `liner restore` can refuse to change a site under a running server. A file
 * whose process is gone (a crash, a kill -9) is stale and ignored. Only processes on this machine
 * are seen: several machines sharing one PostgreSQL database cannot be detected this way.
 */
import fs from "node:fs";
import path from "node:path";

const NAME = /^liner\.(\d+)\.pid$/;

/** A running Liner Notes process found in a data folder. */
export interface RunningProcess {
  pid: number;
  command: string;
  startedAt: string;
}

/** Record this process as `command` running on `dataDir`; the file goes when the process exits. */
export function writePidFile(dataDir: string, command: string): void {
  const file = path.join(dataDir, `liner.${process.pid}.pid`);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify({ pid: process.pid, command, startedAt: new Date().toISOString() })}\n`);
  } catch {
    return; // only a help for `liner restore`: a server runs without it
  }
  process.once("exit", () => fs.rmSync(file, { force: true }));
}

/** The Liner Notes processes alive on `dataDir` (stale files are skipped). */
export function runningProcesses(dataDir: string): RunningProcess[] {
  let names: string[];
  try {
    names = fs.readdirSync(dataDir);
  } catch {
    return [];
  }
  const out: RunningProcess[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || !alive(Number(m[1]))) continue;
    let info: Partial<RunningProcess> = {};
    try {
      info = JSON.parse(fs.readFileSync(path.join(dataDir, name), "utf8"));
    } catch {
      // Half written: the name says enough.
    }
    out.push({ pid: Number(m[1]), command: info.command ?? "liner", startedAt: info.startedAt ?? "" });
  }
  return out;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user's.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
