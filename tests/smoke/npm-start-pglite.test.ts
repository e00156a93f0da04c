import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { freePort } from '../../src/platform/redis/local-redis-server.ts';
import { buildSignedCallback } from '../../src/wecom/protocol/callback-builder.ts';
import { type Child, spawnTs } from '../helpers/child-process.ts';
import { waitUntil } from '../helpers/infra.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/helix.js');

// What `npm start` does on a fresh clone: no DATABASE_URL (PGlite), no REDIS_URL (Helix starts redis-server),
// no WeCom credentials (development defaults).
describe('npm start on embedded defaults', () => {
  let child: Child | undefined;
  afterAll(() => {
    child?.proc.kill('SIGKILL');
  });

  it('migrates, starts every role, takes a callback, processes it, and shuts down cleanly', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'helix-smoke-'));
    const port = await freePort();
    const emulatorPort = await freePort();
    const env = {
      HELIX_DATA_DIR: dataDir,
      PORT: String(port),
      WECOM_EMULATOR_PORT: String(emulatorPort),
      LOG_LEVEL: 'info',
      PATH: process.env.PATH,
    };

    // The CLI works against the same embedded database before the server starts.
    const { stdout } = await run(
      process.execPath,
      [BIN, 'token', 'create', '--role', 'ops', '--name', 'smoke'],
      { env },
    );
    const { token } = JSON.parse(stdout.trim()) as { token: string };
    await expect(run(process.execPath, [BIN, 'token', 'create', '--role', 'boss'], { env })).rejects.toThrow(
      /must be one of/,
    );

    // The profile feed: a bad file is refused whole, with every bad line named; a good one is applied.
    writeFileSync(path.join(dataDir, 'bad.csv'), 'external_userid,aum_band\nwm_1,huge\nwm_1,lt50k\n');
    writeFileSync(path.join(dataDir, 'good.csv'), 'external_userid,aum_band,tags\nwm_1,500k-6m,基金\n');
    const bad = await run(process.execPath, [BIN, 'import', 'clients', path.join(dataDir, 'bad.csv')], {
      env,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toContain('line 3: external_userid: duplicate of line 2');
    const good = await run(process.execPath, [BIN, 'import', 'clients', path.join(dataDir, 'good.csv')], {
      env,
    });
    expect(JSON.parse(good.stdout.trim())).toMatchObject({ ok: true, created: 1, routing: { placed: 1 } });

    child = spawnTs(BIN, env, ['all']);
    // With no WeCom credentials, Helix says plainly that it runs its own emulator, which takes the dev secret.
    const notice = await child.waitForLine('WeCom emulator: no WeCom credentials are configured');
    expect(notice).toContain(`http://127.0.0.1:${emulatorPort}`);
    await child.waitForLine('"scheduler role started');
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const dev = loadConfig({});
    const tokenRes = await fetch(
      `http://127.0.0.1:${emulatorPort}/cgi-bin/gettoken?corpid=${dev.wecom.corpId}&corpsecret=${dev.wecom.api.appSecret}`,
    );
    expect(((await tokenRes.json()) as { errcode: number }).errcode).toBe(0);
    const cb = buildSignedCallback({
      format: 'xml',
      token: dev.wecom.app.token,
      encodingAesKey: dev.wecom.app.encodingAesKey,
      receiveId: dev.wecom.corpId,
      plaintext: `<xml><ToUserName>${dev.wecom.corpId}</ToUserName><FromUserName>rm01</FromUserName><CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>1234567890123456789</MsgId><AgentID>1000002</AgentID></xml>`,
    });
    const res = await fetch(`${base}/wecom/callback?${cb.query}`, { method: 'POST', body: cb.body });
    expect(res.status).toBe(200);

    const headers = { authorization: `Bearer ${token}` };
    const processed = await waitUntil(
      async () => {
        const list = (await (await fetch(`${base}/api/v1/inbox`, { headers })).json()) as {
          items: { status: string }[];
        };
        return list.items[0]?.status === 'processed' ? list.items[0] : undefined;
      },
      15_000,
      'callback processed',
    );
    expect(processed).toMatchObject({ kind: 'text', status: 'processed' });

    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  }, 90_000);
});
