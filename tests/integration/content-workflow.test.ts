import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { queryRows } from '../../src/platform/db/client.ts';
import { useWebWithPeople } from '../helpers/web-with-people.ts';

const env = useWebWithPeople([
  ['运营小李', 'ops'],
  ['运营小周', 'ops'],
  ['合规老王', 'compliance'],
  ['运营小李', 'compliance'],
]);

const as = (who: string) => ({ authorization: `Bearer ${env.tokens[who]}` });
const call = (who: string, method: 'get' | 'post', path: string, body?: object) => {
  const r = request(env.web.app)[method](`/api/v1/content${path}`).set(as(who));
  return body ? r.send(body) : r;
};
/** A workflow step on a version of the test component. */
const act = (who: string, v: number, step: 'submit' | 'approve' | 'reject', body: object = {}) =>
  call(who, 'post', `/components/deposit-day-promo/versions/${v}/${step}`, body);
const draft = (text: string) => ({
  id: 'deposit-day-promo',
  kind: 'event-invite',
  title: '存款日活动',
  variables: {
    'rm.name': { type: 'string', maxLength: 16 },
    'persona.signoff': { type: 'string', maxLength: 40 },
  },
  variants: [{ id: 'default', renderings: { text } }],
});

describe('library versions', () => {
  it('records every library file as an approved version once, however often Helix starts', async () => {
    const list = await call('运营小李/ops', 'get', '/components');
    expect(list.status).toBe(200);
    // One per file in content-library/components/, however many the library holds today.
    const files = readdirSync(`${loadConfig({}).contentLibraryDir}/components`).filter((f) =>
      f.endsWith('.yaml'),
    );
    expect(list.body.items.filter((c: { source: string }) => c.source === 'library')).toHaveLength(
      files.length,
    );
    expect(list.body.items.find((c: { id: string }) => c.id === 'morning-brief-daily')).toMatchObject({
      latest: 1,
      approved: 1,
    });
    expect(await env.web.syncContentLibrary()).toEqual({ added: 0 });
    const edit = await call('运营小李/ops', 'post', '/components', {
      ...draft('x{{rm.name}}{{persona.signoff}}'),
      id: 'morning-brief-daily',
    });
    expect(edit.status).toBe(409);
  });
});

describe('content lists', () => {
  it('page with a cursor and refuse offset', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(
        '运营小李/ops',
        'get',
        `/components?limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(5);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    const all = await call('运营小李/ops', 'get', '/components');
    expect(seen).toEqual(all.body.items.map((c: { id: string }) => c.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 5));
    const offset = await call('运营小李/ops', 'get', '/components?offset=5');
    expect(offset.status).toBe(400);
    expect(offset.body.error.message).toContain('cursor paging');
    const versions = await call('运营小李/ops', 'get', '/components/morning-brief-daily/versions?limit=1');
    expect(versions.body).toMatchObject({ items: [{ version: 1 }], nextCursor: null });
  });
});

describe('maker–checker workflow', () => {
  it('rejects a draft with a banned claim with its findings, and approves the corrected one', async () => {
    const bad = await call(
      '运营小李/ops',
      'post',
      '/components',
      draft('周三存款日，保本稳赚，快来找{{rm.name}}！{{persona.signoff}}'),
    );
    expect(bad.status).toBe(201);
    expect(bad.body).toMatchObject({ version: 1, status: 'draft', author: '运营小李' });
    expect(bad.body.findings.map((f: { message: string }) => f.message).join('\n')).toMatch(
      /guaranteed-principal[\s\S]*sure-profit/,
    );
    // Findings speak the compliance engine's (and the maker–checker's) words: block stops approval.
    expect(new Set(bad.body.findings.map((f: { severity: string }) => f.severity))).toEqual(
      new Set(['block']),
    );

    expect((await act('运营小周/ops', 1, 'submit')).status).toBe(403);
    expect((await act('运营小李/ops', 1, 'submit')).body.status).toBe('submitted');
    const blocked = await act('合规老王/compliance', 1, 'approve');
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toContain('blocking finding');
    const rejected = await act('合规老王/compliance', 1, 'reject', {
      note: '含保本、稳赚表述',
    });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      reviewer: '合规老王',
      reviewNote: '含保本、稳赚表述',
    });

    const good = await call(
      '运营小李/ops',
      'post',
      '/components',
      draft('周三存款日，到网点办理可领取精美礼品一份，详情找{{rm.name}}。{{persona.signoff}}'),
    );
    expect(good.body).toMatchObject({ version: 2, status: 'draft', findings: [] });
    await act('运营小李/ops', 2, 'submit');
    // The maker cannot approve their own content, whatever role they hold; an ops token cannot approve at all.
    const own = await act('运营小李/compliance', 2, 'approve');
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('maker cannot approve');
    expect((await act('运营小周/ops', 2, 'approve')).status).toBe(403);
    const approved = await act('合规老王/compliance', 2, 'approve');
    expect(approved.body).toMatchObject({ status: 'approved', reviewer: '合规老王' });
    expect((await act('合规老王/compliance', 2, 'approve')).status).toBe(409);

    const versions = await call('合规老王/compliance', 'get', '/components/deposit-day-promo/versions');
    expect(
      versions.body.items.map((v: { version: number; status: string }) => `${v.version}:${v.status}`),
    ).toEqual(['2:approved', '1:rejected']);
  });

  it('previews the approved version for two personas, and marks an unapproved one as not sendable', async () => {
    const preview = (personaId: string, extra: object = {}) =>
      call('合规老王/compliance', 'post', '/components/deposit-day-promo/preview', {
        client: { externalUserid: 'wm_preview', tier: 'basic' },
        rm: { name: '张敏' },
        personaId,
        ...extra,
      });
    const sister = await preview('zhixing-jiejie');
    const data = await preview('yinghe-shuju');
    expect(sister.body).toMatchObject({ version: 2, sendable: true, compliance: { ok: true } });
    expect(sister.body.payload.text).toContain('详情找张敏。有事随时找我呀');
    expect(data.body.payload.text).toContain('详情找张敏。数据来源见行内公告');
    const old = await preview('zhixing-jiejie', { version: 1 });
    expect(old.body).toMatchObject({
      version: 1,
      status: 'rejected',
      sendable: false,
      compliance: { ok: false },
    });
    const missing = await preview('zhixing-jiejie', { rm: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('variable rm.name has no value');
  });

  it('records A/B outcomes per variant', async () => {
    const preview = await call('运营小李/ops', 'post', '/components/morning-brief-daily/preview', {
      client: { externalUserid: 'wm_ab_9' },
      rm: { name: '张敏' },
      personaId: 'wenjian-laoshi',
    });
    // The morning brief shows market figures, and without a market-data feed they are samples: they render
    // for the preview but may not reach a client anywhere but in development.
    expect(preview.body).toMatchObject({
      status: 'approved',
      marketData: 'sample',
      sendable: false,
      unsendableReason: 'the market figures are sample data: no market-data feed is configured',
    });
    expect(preview.body.payload.text ?? '').toContain('3921.45');
    const outcome = (o: string) =>
      call('运营小李/ops', 'post', '/outcomes', {
        componentId: 'morning-brief-daily',
        version: preview.body.version,
        variantId: preview.body.variantId,
        externalUserid: 'wm_ab_9',
        channel: 'text',
        outcome: o,
      });
    expect((await outcome('sent')).status).toBe(201);
    expect((await outcome('clicked')).status).toBe(201);
    expect((await outcome('teleported')).status).toBe(400);
    const results = await call('合规老王/compliance', 'get', '/components/morning-brief-daily/outcomes');
    expect(results.body.items).toEqual([
      { version: 1, variantId: preview.body.variantId, outcome: 'clicked', count: 1 },
      { version: 1, variantId: preview.body.variantId, outcome: 'sent', count: 1 },
    ]);
  });

  it('never lets an expired component be sent, though it can still be previewed', async () => {
    const expired = {
      ...draft('春季活动已结束，感谢参与。{{rm.name}}{{persona.signoff}}'),
      id: 'spring-campaign',
      validity: { from: '2026-03-01', until: '2026-03-31' },
    };
    expect((await call('运营小李/ops', 'post', '/components', expired)).status).toBe(201);
    await call('运营小李/ops', 'post', '/components/spring-campaign/versions/1/submit');
    await call('合规老王/compliance', 'post', '/components/spring-campaign/versions/1/approve', {});
    const body = { client: { externalUserid: 'wm_x' }, rm: { name: '张敏' }, personaId: 'zhixing-jiejie' };
    const old = await call('合规老王/compliance', 'post', '/components/spring-campaign/preview', {
      ...body,
      version: 1,
    });
    expect(old.body).toMatchObject({ status: 'approved', sendable: false });
    const latest = await call('合规老王/compliance', 'post', '/components/spring-campaign/preview', body);
    expect(latest.status).toBe(409);
    expect(latest.body.error.message).toBe('spring-campaign expired on 2026-03-31');
  });

  it('answers 409 to every step taken from the wrong state, and the database keeps answering', async () => {
    const created = await call('运营小李/ops', 'post', '/components', {
      ...draft('理财沙龙本周六举行，欢迎联系{{rm.name}}报名。{{persona.signoff}}'),
      id: 'salon-invite',
    });
    expect(created.status).toBe(201);
    const step = (who: string, s: 'submit' | 'approve' | 'reject') =>
      call(who, 'post', `/components/salon-invite/versions/1/${s}`, s === 'reject' ? { note: '不通过' } : {});
    // Never submitted: neither approval nor rejection may happen. This once froze the embedded database.
    const early = await step('合规老王/compliance', 'approve');
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe('version 1 of salon-invite is draft, not submitted');
    expect((await step('合规老王/compliance', 'reject')).status).toBe(409);
    expect((await step('运营小李/ops', 'submit')).status).toBe(200);
    expect((await step('运营小李/ops', 'submit')).status).toBe(409);
    expect((await step('合规老王/compliance', 'reject')).status).toBe(200);
    expect((await step('合规老王/compliance', 'approve')).status).toBe(409);
    expect((await request(env.web.app).get('/readyz')).body).toMatchObject({ status: 'ready', db: 'ok' });
  });

  it('still blocks a draft whose findings were stored in the old error/warning words', async () => {
    const created = await call('运营小李/ops', 'post', '/components', {
      ...draft('保本稳赚的理财沙龙，欢迎联系{{rm.name}}。{{persona.signoff}}'),
      id: 'legacy-draft',
    });
    expect(created.status).toBe(201);
    // What a version drafted before the shared vocabulary looks like in the database.
    await queryRows(
      env.ctx.database.db,
      sql`UPDATE content_versions
          SET findings = (SELECT jsonb_agg(f || '{"severity":"error"}'::jsonb) FROM jsonb_array_elements(findings) f)
          WHERE component_id = 'legacy-draft'`,
    );
    await call('运营小李/ops', 'post', '/components/legacy-draft/versions/1/submit');
    const approve = await call(
      '合规老王/compliance',
      'post',
      '/components/legacy-draft/versions/1/approve',
      {},
    );
    expect(approve.status).toBe(409);
    expect(approve.body.error.message).toBe(
      'version 1 of legacy-draft has 2 blocking finding(s); reject it instead',
    );
    const versions = await call('合规老王/compliance', 'get', '/components/legacy-draft/versions');
    expect(versions.body.items[0].findings.map((f: { severity: string }) => f.severity)).toEqual([
      'block',
      'block',
    ]);
  });

  it('refuses a draft with an unknown variable, naming the field', async () => {
    const res = await call('运营小李/ops', 'post', '/components', {
      ...draft('{{client.nickname}}你好{{rm.name}}{{persona.signoff}}'),
      id: 'bad-draft',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([
      'variants.0.renderings.text: uses undeclared variable "client.nickname"',
    ]);
  });
});
