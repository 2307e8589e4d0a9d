// What the npm tests under node/tests share: where the binaries are, and ports. Node built-ins
// only, so each test directory can import it without installing anything for it.

import { connect, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/zoo/target');
export const ZOO_NODE = process.env.ZOO_NODE ?? join(targetDir, 'release/zoo-node');
export const ZOO = process.env.ZOO ?? join(targetDir, 'release/zoo');

/** A port the OS says is free now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on the port. */
export function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
