// A throwaway redis-server for tests and benches: Debian's `redis-server` on a free localhost port,
// nothing saved to disk, stopped by its pid. Missing redis-server is an error, never a skip:
// `.ci/run` installs it (apt-get install -y redis-server).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startRedis({ timeoutMs = 10_000, port: wanted } = {}) {
  const port = wanted ?? (await freePort());
  const child = spawn(
    process.env.REDIS_SERVER ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not get ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const done = (error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    child.once('error', (error) =>
      done(
        error.code === 'ENOENT'
          ? new Error(
              'redis-server is not installed: the Redis tests need a real one. Install it with ' +
                '`apt-get install -y redis-server` (Debian; .ci/run does this), or set REDIS_SERVER ' +
                'to its path.',
            )
          : error,
      ),
    );
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) done();
      });
    }
    void exited.then(({ code, signal }) =>
      done(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`)),
    );
  });
  // Drain its output from now on, so that a chatty server never blocks on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    /** Kills it by its pid (SIGKILL: a crash, as when a store goes down) and waits for the exit. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
      await exited;
    },
    /** Stalls it (SIGSTOP by its pid): connections stay open, nothing is answered. */
    pause() {
      process.kill(child.pid, 'SIGSTOP');
    },
    /** Lets a paused server go on (SIGCONT by its pid); what queued meanwhile is answered. */
    resume() {
      process.kill(child.pid, 'SIGCONT');
    },
    /** Stops it by its pid and waits for the exit; harmless if it is already gone. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGCONT'); // a paused server would never see the SIGTERM
        process.kill(child.pid, 'SIGTERM');
      }
      await exited;
    },
  };
}
