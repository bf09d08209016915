/**
 * Child processes for the benchmarks: servers that announce themselves with one JSON line on
 * stdout, and one-shot scripts whose stdout is one JSON document. Every child is spawned with
 * the same Node and the same `@keyward/source` condition as the runner, and is tracked so a
 * case can kill all of them in a `finally`, whatever happened.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");

/**
 * `node --import tsx <script>`, plus any extra Node flags. The @keyward packages resolve to their
 * built `dist/` (what users run), not to their TypeScript sources.
 */
function nodeArgs(script: string, nodeFlags: readonly string[]): string[] {
  return ["--import", "tsx", ...nodeFlags, resolve(root, script)];
}

/**
 * Whether children can be pinned to a CPU of their own: Linux `taskset` and at least two CPUs.
 * Unpinned, a load generator steals the server's core and overstates the slower server.
 */
export const canPin: boolean = (() => {
  if (cpus().length < 2) return false;
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Pins every thread of a running child to one CPU (`taskset -a -cp`); a no-op where {@link canPin} is false. */
function pin(child: ChildProcess, cpu: number | undefined): void {
  if (cpu === undefined || !canPin || child.pid === undefined) return;
  execFileSync("taskset", ["-a", "-cp", String(cpu), String(child.pid)], { stdio: "ignore" });
}

/** What a server prints on its first stdout line once it listens. */
export interface Handshake {
  port: number;
  /** Request headers that carry a credential this server accepts (empty for bare servers). */
  headers: Record<string, string>;
}

export interface RunningServer extends Handshake {
  child: ChildProcess;
}

/** A worker process driven over IPC (see {@link ChildGroup.startWorker}). */
export interface Worker<Ready> {
  child: ChildProcess;
  /** The worker's first message. */
  ready: Ready;
  /** Sends a message and resolves with the worker's next one. */
  request<T>(message: unknown, timeoutMs?: number): Promise<T>;
}

/** Children started through this module that have not been reaped yet. */
export class ChildGroup {
  readonly #children = new Set<ChildProcess>();

  #track(child: ChildProcess): ChildProcess {
    this.#children.add(child);
    child.once("exit", () => this.#children.delete(child));
    return child;
  }

  /**
   * Starts a server script with `PORT=0` and waits for its handshake line.
   * @param script - path from the repository root, e.g. `bench/servers/fastify-bare.ts`
   */
  startServer(
    script: string,
    options: {
      nodeFlags?: readonly string[];
      env?: Record<string, string>;
      timeoutMs?: number;
      /** Pin the server (every thread) to this CPU once it listens. */
      cpu?: number;
    } = {},
  ): Promise<RunningServer> {
    const child = this.#track(
      spawn(process.execPath, nodeArgs(script, options.nodeFlags ?? []), {
        cwd: root,
        env: { ...process.env, ...options.env, PORT: "0", NODE_ENV: "production" },
        stdio: ["ignore", "pipe", "inherit"],
      }),
    );
    return new Promise((resolvePromise, reject) => {
      let buffered = "";
      const timer = setTimeout(
        () => fail(new Error(`${script}: no handshake within 30 s`)),
        options.timeoutMs ?? 30_000,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(error);
      };
      child.once("exit", (code, signal) => fail(new Error(`${script} exited early (${code ?? signal})`)));
      child.stdout!.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        const newline = buffered.indexOf("\n");
        if (newline === -1) return;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.once("exit", () => this.#children.delete(child));
        child.stdout!.removeAllListeners("data");
        child.stdout!.resume();
        try {
          const handshake = JSON.parse(buffered.slice(0, newline)) as Handshake;
          pin(child, options.cpu);
          resolvePromise({ ...handshake, child });
        } catch (error) {
          fail(new Error(`${script}: bad handshake line (${(error as Error).message})`));
        }
      });
    });
  }

  /**
   * Starts a worker script with an IPC channel and waits for its first message (its "ready"
   * report). `request` sends one message and resolves with the next one the worker sends back.
   * @param script - path from the repository root
   */
  async startWorker<Ready>(
    script: string,
    options: {
      args?: readonly string[];
      nodeFlags?: readonly string[];
      timeoutMs?: number;
      cpu?: number;
    } = {},
  ): Promise<Worker<Ready>> {
    const child = this.#track(
      spawn(process.execPath, [...nodeArgs(script, options.nodeFlags ?? []), ...(options.args ?? [])], {
        cwd: root,
        env: { ...process.env, NODE_ENV: "production" },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      }),
    );
    const next = <T>(timeoutMs: number): Promise<T> =>
      new Promise((resolvePromise, reject) => {
        const onExit = (code: number | null, signal: string | null) => {
          clearTimeout(timer);
          child.removeListener("message", onMessage);
          reject(new Error(`${script} exited (${code ?? signal})`));
        };
        const onMessage = (message: unknown) => {
          clearTimeout(timer);
          child.removeListener("exit", onExit);
          resolvePromise(message as T);
        };
        const timer = setTimeout(() => {
          child.removeListener("message", onMessage);
          child.removeListener("exit", onExit);
          reject(new Error(`${script}: no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        child.once("message", onMessage);
        child.once("exit", onExit);
      });
    const ready = await next<Ready>(options.timeoutMs ?? 300_000);
    pin(child, options.cpu);
    return {
      child,
      ready,
      request: <T>(message: unknown, timeoutMs = 120_000) => {
        const answer = next<T>(timeoutMs);
        child.send(message as object);
        return answer;
      },
    };
  }

  /** Kills every child still running (SIGTERM, then SIGKILL after a grace period) and waits for them. */
  async killAll(graceMs = 2_000): Promise<void> {
    const alive = [...this.#children].filter((child) => child.exitCode === null && child.signalCode === null);
    await Promise.all(
      alive.map(
        (child) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
            child.once("exit", () => {
              clearTimeout(force);
              done();
            });
            if (child.exitCode !== null || child.signalCode !== null) {
              clearTimeout(force);
              done();
              return;
            }
            child.kill("SIGTERM");
          }),
      ),
    );
    this.#children.clear();
  }
}

/**
 * CPU time (user + system) a process has used so far, in microseconds, from /proc (Linux; the
 * kernel counts in ticks of 10 ms). Null where /proc is not available.
 */
export function cpuMicros(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces), which ends at the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}
