import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/services.ts';
import { createWecomClients } from '../../src/app/wecom-runtime.ts';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.ts';
import { createChannelsRepository } from '../../src/modules/contacts/channels.repository.ts';
import { createChannelsService } from '../../src/modules/contacts/channels.service.ts';
import { createRmsRepository } from '../../src/modules/contacts/rms.repository.ts';
import { createTokenService } from '../../src/platform/auth/tokens.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { type HelixWithEmulator, startHelixWithEmulator } from '../helpers/helix-with-emulator.ts';
import { waitUntil } from '../helpers/infra.ts';

let h: HelixWithEmulator;
let ops: string;

beforeAll(async () => {
  h = await startHelixWithEmulator();
  h.emu.emulator.seed({
    members: [{ userid: 'rm_zhang', name: '张经理' }],
    groups: [
      { chatId: 'wr_fund_1', owner: 'rm_zhang', name: '基民交流1群' },
      { chatId: 'wr_fund_2', owner: 'rm_zhang', name: '基民交流2群' },
    ],
  });
  const tokens = createTokenService({ db: h.ctx.database.db, audit: createAuditRepository() });
  ops = (await tokens.create({ name: '运营小王', role: 'ops', branchScope: null, actor: 'test' })).secret;
  const put = await api('put', '/api/v1/rms/rm_zhang').send({ name: '张经理', branch: '南山支行' });
  if (put.status !== 200) throw new Error(`PUT /rms: ${put.status} ${JSON.stringify(put.body)}`);
});
afterAll(async () => h?.stop());

const api = (method: 'get' | 'post' | 'put', url: string) =>
  request(h.web.app)[method](url).set('authorization', `Bearer ${ops}`);
const db = () => h.ctx.database.db;
const count = async (query: ReturnType<typeof sql>) =>
  (await queryRows<{ n: number }>(db(), query))[0]?.n ?? -1;
const clientName = async (id: string) =>
  (
    await queryRows<{ name: string | null }>(
      db(),
      sql`SELECT name FROM clients WHERE external_userid = ${id}`,
    )
  )[0]?.name;
const contactWays = () => h.emu.emulator.inspect().contactWays;
const importCsv = (body: Buffer | string) =>
  api('post', '/api/v1/clients/import?fileName=feed.csv').set('content-type', 'text/csv').send(body);
/** A channel body whose id and state derive from `id`. */
const channel = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `渠道 ${id}`,
  state: `ch-${id}`,
  rmUserids: ['rm_zhang'],
  ...extra,
});

describe('uploads in the encodings Excel and editors save', () => {
  it('imports a GB18030 client CSV over the API with its Chinese names intact', async () => {
    const file = iconv.encode(
      'external_userid,name,aum_band\nwm_gb_1,王女士,lt50k\nwm_gb_2,欧阳先生,ge6m\n',
      'gb18030',
    );
    // Proof that the bytes are not UTF-8: read as UTF-8 they would be the mojibake the issue shows.
    expect(file.toString('utf8')).toContain('\uFFFD');
    const res = await importCsv(file);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ok: true, encoding: 'gb18030', rows: 2, created: 2 });
    expect(await clientName('wm_gb_1')).toBe('王女士');
    expect((await api('get', '/api/v1/clients/wm_gb_2')).body.name).toBe('欧阳先生');
  });

  it('imports GB18030, UTF-16 and UTF-8-with-BOM files read from disk the way `helix import clients` does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'helix-import-'));
    // The services the CLI's import builds on, from the process's one composition root.
    const services = createServices(h.ctx);
    try {
      const { imports } = services.profiles();
      const files: [string, Buffer][] = [
        ['gbk.csv', iconv.encode('external_userid,name\nwm_cli_1,诸葛女士\n', 'gb18030')],
        [
          'utf16.csv',
          Buffer.concat([
            Buffer.from([0xff, 0xfe]),
            iconv.encode('external_userid,name\nwm_cli_2,司马先生\n', 'utf16le'),
          ]),
        ],
        ['bom.csv', Buffer.from('\uFEFFexternal_userid,name\nwm_cli_3,上官女士\n', 'utf8')],
      ];
      for (const [name, bytes] of files) {
        writeFileSync(path.join(dir, name), bytes);
        const outcome = await imports.importProfiles({
          file: readFileSync(path.join(dir, name)),
          format: 'csv',
          fileName: name,
          actor: 'cli:test',
          via: 'cli',
        });
        expect(outcome, name).toMatchObject({ ok: true, rows: 1 });
      }
      expect([
        await clientName('wm_cli_1'),
        await clientName('wm_cli_2'),
        await clientName('wm_cli_3'),
      ]).toEqual(['诸葛女士', '司马先生', '上官女士']);
    } finally {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bytes that are text in no supported encoding, and text that is already mojibake, writing nothing', async () => {
    const before = await count(sql`SELECT count(*)::int AS n FROM clients`);
    const garbage = Buffer.concat([
      Buffer.from('external_userid,name\nwm_bad_1,'),
      Buffer.from([0xff, 0xfe, 0x80, 0xff]),
      Buffer.from('\n'),
    ]);
    const bad = await importCsv(garbage);
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual([
      {
        line: 1,
        field: '(file)',
        message: expect.stringMatching(/not text in a supported encoding.*invalid byte 0xff at offset 30/),
      },
    ]);
    // "��Ůʿ": GBK bytes once decoded as UTF-8 and saved again; the damage cannot be undone, only refused.
    const mojibake = await importCsv('external_userid,name\nwm_bad_2,��Ůʿ\n');
    expect(mojibake.status).toBe(400);
    expect(mojibake.body.error.problems[0].message).toMatch(/replacement character/);
    expect(await count(sql`SELECT count(*)::int AS n FROM clients`)).toBe(before);
  });

  it('imports a GB18030 FAQ file and refuses an undecodable one', async () => {
    const header = 'id\tcategory\tquestion\tsimilar\tanswer\ttiers\trisk_level\tvalid_from\tvalid_until';
    const tsv = `${header}\ngbk-entry\t借记卡\t借记卡年费怎么收\t\t借记卡免收年费。\t\t\t\t\n`;
    const ok = await api('post', '/api/v1/faq/import')
      .set('content-type', 'text/tab-separated-values')
      .send(iconv.encode(tsv, 'gb18030'));
    expect(ok.status).toBe(201);
    const exported = await api('get', '/api/v1/faq/export');
    expect(exported.text).toContain('gbk-entry\t借记卡\t借记卡年费怎么收');
    const bad = await api('post', '/api/v1/faq/import')
      .set('content-type', 'text/tab-separated-values')
      .send(Buffer.concat([Buffer.from(`${header}\nx\t`), Buffer.from([0xff, 0xff]), Buffer.from('\n')]));
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems[0].message).toMatch(/not text in a supported encoding/);
  });
});

describe('references to things Helix does not know', () => {
  it('refuses an import row whose owner_rm is unknown, by line, and writes nothing', async () => {
    const res = await importCsv('external_userid,owner_rm\nwm_ref_1,rm_zhang\nwm_ref_2,rm_nobody\n');
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([
      { line: 3, field: 'owner_rm', message: expect.stringContaining('unknown RM "rm_nobody"') },
    ]);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM clients WHERE external_userid LIKE 'wm_ref_%'`),
    ).toBe(0);
    expect(await count(sql`SELECT count(*)::int AS n FROM rms WHERE userid = 'rm_nobody'`)).toBe(0);
  });

  it('refuses an RM persona the content library does not define', async () => {
    const res = await api('put', '/api/v1/rms/rm_new').send({ name: '新经理', persona: 'no-such-persona' });
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([
      expect.stringMatching(/^persona: unknown persona "no-such-persona"/),
    ]);
    expect(await count(sql`SELECT count(*)::int AS n FROM rms WHERE userid = 'rm_new'`)).toBe(0);
    const known = await api('put', '/api/v1/rms/rm_new').send({ name: '新经理', persona: 'zhixing-jiejie' });
    expect(known.status).toBe(200);
  });

  it('refuses a channel for an unknown RM before any contact way exists', async () => {
    const ways = contactWays().length;
    const res = await api('post', '/api/v1/channels').send(
      channel('ghost-rm', { rmUserids: ['rm_zhang', 'rm_ghost'] }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([expect.stringMatching(/^rmUserids\.1: unknown RM "rm_ghost"/)]);
    expect(contactWays().length).toBe(ways);
    expect(await count(sql`SELECT count(*)::int AS n FROM channels WHERE id = 'ghost-rm'`)).toBe(0);
  });

  it('refuses a group key the tier policy does not define', async () => {
    const res = await api('post', '/api/v1/groups').send({
      chatId: 'wr_fund_1',
      name: '基民交流1群',
      groupKey: 'fnds',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([
      expect.stringMatching(/^groupKey: unknown group key "fnds"; one of .*jimin/),
    ]);
    expect(await count(sql`SELECT count(*)::int AS n FROM community_groups`)).toBe(0);
  });
});

describe('cursor paging', () => {
  it('pages through 7 channels 3 at a time, returning each exactly once', async () => {
    for (let i = 1; i <= 7; i++) {
      expect((await api('post', '/api/v1/channels').send(channel(`page-${i}`))).status).toBe(201);
    }
    const seen: string[] = [];
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await api('get', `/api/v1/channels?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body.items.length);
      seen.push(
        ...res.body.items.map((c: { id: string }) => c.id).filter((id: string) => id.startsWith('page-')),
      );
      cursor = res.body.nextCursor;
    } while (cursor);
    // Seven new channels after the reserved "unknown" one.
    expect(pages).toEqual([3, 3, 2]);
    expect(seen).toEqual(['page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6', 'page-7']);
  });

  it('pages through clients and RMs the same way', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `wm_page_${i}`);
    expect((await importCsv(`external_userid\n${rows.join('\n')}\n`)).status).toBe(201);
    const all = async (url: string, key: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await api('get', `${url}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        out.push(...res.body.items.map((r: Record<string, string>) => r[key]));
        cursor = res.body.nextCursor;
      } while (cursor);
      return out;
    };
    const clients = await all('/api/v1/clients', 'externalUserid');
    expect(clients.filter((id) => id.startsWith('wm_page_'))).toEqual(rows);
    expect(new Set(clients).size).toBe(clients.length);
    expect(await all('/api/v1/rms', 'userid')).toEqual(['rm_new', 'rm_zhang']);
  });

  it('refuses offset-style parameters and cursors it did not issue', async () => {
    const offset = await api('get', '/api/v1/clients?offset=3');
    expect(offset.status).toBe(400);
    expect(offset.body.error.message).toMatch(/offset: unknown query parameter; lists use cursor paging/);
    expect((await api('get', '/api/v1/groups?page=2')).body.error.message).toMatch(/page: unknown query/);
    expect((await api('get', '/api/v1/channels?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await api('get', '/api/v1/channels?limit=501')).status).toBe(400);
    const last = await api('get', '/api/v1/rms?limit=500');
    expect(last.body.nextCursor).toBeNull();
  });
});

describe('writes that finish or leave nothing', () => {
  it('does not create a contact way for a duplicate channel', async () => {
    const ways = contactWays().length;
    const dup = await api('post', '/api/v1/channels').send(channel('page-1', { state: 'ch-other' }));
    expect(dup.status).toBe(409);
    const dupState = await api('post', '/api/v1/channels').send(channel('page-x', { state: 'ch-page-1' }));
    expect(dupState.status).toBe(409);
    expect(contactWays().length).toBe(ways);
  });

  it('deletes the contact way again when the insert loses a race', async () => {
    const redis = new Redis(h.ctx.redisUrl);
    try {
      const { contact } = createWecomClients({
        config: h.ctx.config,
        circuits: h.ctx.wecomCircuits,
        baseUrl: h.ctx.wecomBaseUrl,
        redis,
        log: h.ctx.log,
        metrics: h.ctx.metrics,
      });
      const channels = createChannelsService({
        db: db(),
        repo: createChannelsRepository(),
        rms: createRmsRepository(),
        audit: createAuditRepository(),
        // Another request creates the same channel while WeCom answers this one.
        contact: {
          deleteContactWay: contact.deleteContactWay,
          async addContactWay(way) {
            const created = await contact.addContactWay(way);
            await queryRows(
              db(),
              sql`INSERT INTO channels (id, name, state, created_by) VALUES ('racer', '先到', 'ch-racer-1', 'other')`,
            );
            return created;
          },
        },
        clock: h.ctx.clock,
        log: h.ctx.log,
      });
      await expect(
        channels.create({ ...channel('racer'), cost: 0 }, { name: 'test', requestId: null }),
      ).rejects.toMatchObject({ code: 'conflict' });
      expect(contactWays().filter((w) => w.state === 'ch-racer')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('registers nothing when WeCom does not know the chat (4xx) or cannot be reached (503)', async () => {
    const audits = async () =>
      count(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'group.register'`);
    const unknown = await api('post', '/api/v1/groups').send({
      chatId: 'wr_missing',
      name: '基民交流9群',
      groupKey: 'jimin',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.problems).toEqual(['chatId: WeCom has no customer group "wr_missing"']);
    h.emu.emulator.setFaults('externalcontact/groupchat/get', [{ kind: 'drop' }]);
    try {
      const down = await api('post', '/api/v1/groups').send({
        chatId: 'wr_fund_1',
        name: '基民交流1群',
        groupKey: 'jimin',
      });
      expect(down.status).toBe(503);
    } finally {
      h.emu.emulator.setFaults('externalcontact/groupchat/get', []);
    }
    expect(await count(sql`SELECT count(*)::int AS n FROM community_groups`)).toBe(0);
    expect(await audits()).toBe(0);
    expect(h.emu.emulator.inspect().joinWays).toEqual([]);
  });

  it('archives a channel: its contact way goes, lists hide it, and its state still attributes', async () => {
    const created = await api('post', '/api/v1/channels').send(channel('retired'));
    expect(created.status).toBe(201);
    const res = await api('post', '/api/v1/channels/retired/archive');
    expect(res.status).toBe(200);
    expect(res.body.archivedAt).toEqual(expect.any(String));
    expect(contactWays().find((w) => w.configId === created.body.configId)).toBeUndefined();
    const listed = async (query: string) => {
      const r = await api('get', `/api/v1/channels?limit=500${query}`);
      return r.body.items.map((c: { id: string }) => c.id);
    };
    expect(await listed('')).not.toContain('retired');
    expect(await listed('&archived=true')).toContain('retired');
    expect((await api('post', '/api/v1/channels/retired/archive')).status).toBe(200);
    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'channel.archive' AND target_id = 'retired'`,
      ),
    ).toBe(1);
    // A client who scanned the old code before it was deleted still counts for the channel.
    await h.emu.emulator.driver?.clientAddsRm({
      externalUserId: 'wm_late_scan',
      rmUserId: 'rm_zhang',
      state: 'ch-retired',
    });
    const attributed = await waitUntil(
      async () =>
        (
          await queryRows<{ channel_id: string }>(
            db(),
            sql`SELECT channel_id FROM clients WHERE external_userid = 'wm_late_scan'`,
          )
        )[0],
      10_000,
      'late add attributed',
    );
    expect(attributed?.channel_id).toBe('retired');
    expect((await api('post', '/api/v1/channels/never-was/archive')).status).toBe(404);
  });

  it('archives a group: it leaves lists and routing, and the join way no longer covers it', async () => {
    for (const [chatId, name] of [
      ['wr_fund_1', '基民交流1群'],
      ['wr_fund_2', '基民交流2群'],
    ]) {
      const r = await api('post', '/api/v1/groups').send({ chatId, name, groupKey: 'jimin' });
      expect(r.status).toBe(201);
    }
    const res = await api('post', '/api/v1/groups/wr_fund_1/archive');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'archived', archivedAt: expect.any(String) });
    const list = await api('get', '/api/v1/groups?groupKey=jimin');
    expect(list.body.items.map((g: { chatId: string }) => g.chatId)).toEqual(['wr_fund_2']);
    const all = await api('get', '/api/v1/groups?groupKey=jimin&archived=true');
    expect(all.body.items.map((g: { chatId: string }) => g.chatId)).toEqual(['wr_fund_1', 'wr_fund_2']);
    // The QR code ops hand out for jimin now fills only wr_fund_2.
    const qr = list.body.items[0].joinWayQr as string;
    const way = h.emu.emulator.inspect().joinWays.find((w) => w.qrCode === qr);
    expect(way?.chatIds).toEqual(['wr_fund_2']);
    expect(await h.emu.emulator.joinViaJoinWay(way!.configId, 'wm_fan')).toMatchObject({
      chatId: 'wr_fund_2',
    });
    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'group.archive' AND target_id = 'wr_fund_1'`,
      ),
    ).toBe(1);
    expect((await api('post', '/api/v1/groups/wr_nowhere/archive')).status).toBe(404);
  });
});
