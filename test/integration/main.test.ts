import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The server process itself (src/main.ts), started as `npm start` starts it: a setting that cannot
 * work stops it at once with a message naming the setting, never a process that says it listens.
 */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pix-lti-main-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: path.join(__dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, HOST: '127.0.0.1', WORKERS: 'off', ...env },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

describe('starting the server', () => {
  jest.setTimeout(90_000);

  it('a first start creates and migrates the SQLite database, serves, and stops cleanly on SIGTERM', async () => {
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pix-lti-main-'));
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: path.join(__dirname, '../..'),
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        WORKERS: 'off',
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      for (let i = 0; i < 300 && !output.includes('tool listening'); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('database migrated');
      expect(fs.existsSync(path.join(dataDir, 'tool.db'))).toBe(true);
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const jwks = (await (await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`)).json()) as {
        keys: unknown[];
      };
      expect(jwks.keys).toHaveLength(1);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('stopped');
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a port already in use stops the start with what to do, instead of claiming to listen', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as net.AddressInfo).port;
      const { code, output } = await start({ PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain('the port is already in use. Stop the other process or set PORT');
      expect(output).not.toContain('tool listening');
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it('a database that cannot be reached stops the start naming DATABASE_URL, without its password', async () => {
    const { code, output } = await start({
      PORT: '0',
      DATABASE_URL: 'postgres://someone:s3cret@127.0.0.1:1/pixlti',
    });
    expect(code).toBe(1);
    expect(output).toContain(
      'cannot open the database (PostgreSQL postgres://someone:***@127.0.0.1:1/pixlti)',
    );
    expect(output).toContain('Check DATABASE_URL');
    expect(output).not.toContain('s3cret');
  });
});
