// Worker thread of `ExternalModel`: owns the model's child process and its pipes, so that the main thread can
// talk to the model synchronously (it blocks in Atomics.wait until this worker signals an answer). Plain
// JavaScript on purpose: nothing here needs the TypeScript loader.
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const { command, signal, port, stderrPrefix } = workerData;
const flag = new Int32Array(signal);
const STDERR_TAIL = 20;
const stderrTail = [];

/** Calls `onLine` for every complete line of a text stream; `rest()` is what came after the last newline. */
function forEachLine(stream, onLine) {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, nl).replace(/\r$/, ''));
      buffer = buffer.slice(nl + 1);
    }
  });
  return { rest: () => buffer };
}

/** Hands one event to the main thread and wakes it. */
function deliver(event) {
  port.postMessage(event);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}

let child;
try {
  child = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'pipe'] });
} catch (e) {
  deliver({ type: 'spawn-error', message: String(e && e.message ? e.message : e) });
}

if (child !== undefined) {
  child.on('error', (e) => deliver({ type: 'spawn-error', message: String(e.message) }));
  forEachLine(child.stdout, (line) => {
    if (line.trim() !== '') deliver({ type: 'line', line });
  });
  const err = forEachLine(child.stderr, (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
    // written straight to fd 2: the main thread is blocked and could not forward it
    writeSync(2, `${stderrPrefix}${line}\n`);
  });
  // a model that exits closes its stdin: writing then raises EPIPE, which the exit event reports better
  child.stdin.on('error', () => undefined);
  child.on('exit', (code, sig) => {
    const rest = err.rest();
    if (rest !== '') {
      stderrTail.push(rest);
      writeSync(2, `${stderrPrefix}${rest}\n`);
    }
    deliver({ type: 'exit', code, signal: sig, stderrTail: stderrTail.slice(-3) });
  });
  parentPort.on('message', (message) => {
    if (message.type === 'send') child.stdin.write(message.line + '\n');
    else if (message.type === 'close') child.stdin.end();
    else if (message.type === 'kill') child.kill('SIGKILL');
  });
}
