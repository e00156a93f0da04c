import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWebWithPeople } from '../helpers/web-with-people.ts';

/**
 * The knowledge base's entries for admins, ops and compliance: each entry's newest version with the number
 * of the newest approved one, searched by question, similar question or id, filtered, a page at a time;
 * and one entry's versions with their answers.
 */
const env = useWebWithPeople([
  ['rm_zhang', 'rm'],
  ['运营小李', 'ops'],
  ['合规老王', 'compliance'],
]);

const HEADER = 'id\tcategory\tquestion\tsimilar\tanswer\ttiers\trisk_level\tvalid_from\tvalid_until';
const as = (who: string, path: string) =>
  request(env.web.app).get(`/api/v1${path}`).set('authorization', `Bearer ${env.tokens[who]}`);
const importTsv = (rows: string[]) =>
  request(env.web.app)
    .post('/api/v1/faq/import')
    .set('authorization', `Bearer ${env.tokens['运营小李/ops']}`)
    .set('content-type', 'text/tab-separated-values')
    .send(`${HEADER}\n${rows.join('\n')}\n`)
    .expect(201);
const approve = (id: string, v: number) =>
  request(env.web.app)
    .post(`/api/v1/faq/${id}/versions/${v}/approve`)
    .set('authorization', `Bearer ${env.tokens['合规老王/compliance']}`)
    .expect(200);
type Entry = { id: string; status: string; version: number; approvedVersion: number | null };
const list = async (query: string): Promise<Entry[]> => {
  const res = await as('运营小李/ops', `/faq/entries?${query}`).expect(200);
  return res.body.items;
};
const idsOf = (items: Entry[]) => items.map((e) => e.id);

beforeAll(async () => {
  await importTsv([
    'kbe-alpha\t理财\t理财产品怎么赎回\t赎回要多久到账|Redeem Online\t可在手机银行“理财”页赎回。\t\t\t\t',
    'kbe-beta\t信用卡\t积分能 100% 抵扣年费吗\t\t积分可按规则抵扣部分年费。\t\t\t\t2031-12-31',
    'kbe-gamma\t信用卡\t信用卡分期手续费怎么算\t\t分期手续费按期收取，详见分期页面。\tpremium|private\t\t\t',
    'kbe-delta\t理财\t基金定投怎么设置\t\t可在手机银行“基金”页设置定投。\t\t\t\t',
  ]);
  await approve('kbe-alpha', 1);
  await approve('kbe-beta', 1);
  // A second version of an approved entry waits for compliance while the first is still served.
  await importTsv([
    'kbe-alpha\t理财\t理财产品怎么赎回\t赎回要多久到账|Redeem Online\t请在手机银行“理财”页赎回，T+1 到账。\t\t\t\t',
  ]);
});

describe('GET /api/v1/faq/entries', () => {
  it("lists each entry's newest version with the newest approved one", async () => {
    const res = await as('合规老王/compliance', '/faq/entries?q=kbe-').expect(200);
    expect(idsOf(res.body.items)).toEqual(['kbe-alpha', 'kbe-beta', 'kbe-delta', 'kbe-gamma']);
    const [alpha, beta, , gamma] = res.body.items;
    expect(alpha).toMatchObject({
      question: '理财产品怎么赎回',
      category: '理财',
      status: 'draft',
      version: 2,
      approvedVersion: 1,
      author: '运营小李',
      reviewer: null,
      validUntil: null,
    });
    expect(beta).toMatchObject({
      status: 'approved',
      version: 1,
      approvedVersion: 1,
      reviewer: '合规老王',
      validUntil: '2031-12-31',
    });
    expect(gamma).toMatchObject({ status: 'draft', approvedVersion: null, tiers: ['premium', 'private'] });
    expect(Date.parse(alpha.updatedAt)).not.toBeNaN();
    // The starter library's entries are there too, approved at code review.
    expect(await list('q=card-lost')).toEqual([
      expect.objectContaining({ id: 'card-lost', status: 'approved', reviewer: 'code-review' }),
    ]);
  });

  it('finds an entry by a similar question in any case, or by part of its id', async () => {
    expect(idsOf(await list('q=redeem%20online'))).toEqual(['kbe-alpha']);
    expect(idsOf(await list(`q=${encodeURIComponent('要多久到')}`))).toEqual(['kbe-alpha']);
    expect(idsOf(await list('q=KBE-GAM'))).toEqual(['kbe-gamma']);
  });

  it('matches % and _ literally', async () => {
    expect(idsOf(await list(`q=${encodeURIComponent('100%')}`))).toEqual(['kbe-beta']);
    expect(idsOf(await list(`q=${encodeURIComponent('%')}`))).toEqual(['kbe-beta']);
    expect(await list(`q=${encodeURIComponent('kbe_')}`)).toEqual([]);
  });

  it('filters by category and by the newest status', async () => {
    expect(idsOf(await list(`q=kbe-&category=${encodeURIComponent('理财')}`))).toEqual([
      'kbe-alpha',
      'kbe-delta',
    ]);
    expect(idsOf(await list('q=kbe-&status=draft'))).toEqual(['kbe-alpha', 'kbe-delta', 'kbe-gamma']);
    expect(idsOf(await list('q=kbe-&status=approved'))).toEqual(['kbe-beta']);
  });

  it('pages through every entry with the cursor, each once', async () => {
    const all = idsOf(await list('limit=500'));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 50; n++) {
      const page: { items: Entry[]; nextCursor: string | null } = (
        await as('运营小李/ops', `/faq/entries?limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...idsOf(page.items));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
    expect(seen).toEqual([...seen].sort());
    expect(seen.length).toBeGreaterThan(6);
    expect(seen).toContain('kbe-gamma');
  });

  it('refuses RMs, a search over 64 characters by name, and an unknown status', async () => {
    const rm = await as('rm_zhang/rm', '/faq/entries');
    expect(rm.status).toBe(403);
    const long = await as('运营小李/ops', `/faq/entries?q=${'赎'.repeat(65)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.problems).toEqual([expect.stringMatching(/^q: /)]);
    const status = await as('运营小李/ops', '/faq/entries?status=pending');
    expect(status.status).toBe(400);
    expect(status.body.error.problems).toEqual([expect.stringMatching(/^status: /)]);
  });
});

describe('GET /api/v1/faq/entries/:id', () => {
  it("shows an entry's versions, newest first, with their answers and review", async () => {
    const res = await as('运营小李/ops', '/faq/entries/kbe-alpha').expect(200);
    expect(res.body.id).toBe('kbe-alpha');
    expect(res.body.versions).toEqual([
      expect.objectContaining({
        version: 2,
        status: 'draft',
        answer: '请在手机银行“理财”页赎回，T+1 到账。',
        similar: ['赎回要多久到账', 'Redeem Online'],
        reviewer: null,
        reviewedAt: null,
        findings: 0,
      }),
      expect.objectContaining({
        version: 1,
        status: 'approved',
        answer: '可在手机银行“理财”页赎回。',
        author: '运营小李',
        reviewer: '合规老王',
      }),
    ]);
    expect(Date.parse(res.body.versions[1].reviewedAt)).not.toBeNaN();
  });

  it('answers 404, in Chinese to the console, for an entry that does not exist', async () => {
    const res = await as('运营小李/ops', '/faq/entries/no-such-entry').set('accept-language', 'zh-CN');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', message: '没有 FAQ 条目 no-such-entry。' });
    expect((await as('合规老王/compliance', '/faq/entries/no-such-entry')).body.error.message).toBe(
      'no FAQ entry no-such-entry',
    );
    expect((await as('rm_zhang/rm', '/faq/entries/kbe-alpha')).status).toBe(403);
  });
});
