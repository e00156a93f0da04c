import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's FAQ page in a real headless Chromium: an RM's question nobody could answer reaches the
 * review queue; ops sign in through the emulator's WeCom page, attach it to an entry, and see the
 * entry's new draft waiting for compliance; the deflection chart draws; ops search the entries and read
 * one's answer; axe finds nothing serious.
 */
const QUESTION = '我那张卡找不着了咋弄';
const world = useConsoleWorld([{ userid: 'ops_li', name: '李运营' }]);
const { signedIn, axeProblems } = world;
const as = (r: request.Test) => world.asAdmin(r);

beforeAll(async () => {
  await as(request(world.web.app).put('/api/v1/staff/ops_li'))
    .send({ name: '李运营', role: 'ops' })
    .expect(200);
  // A question the assist sidebar cannot answer joins the review queue, as the bot's hand-offs do.
  await as(request(world.web.app).post('/api/v1/assist/suggest')).send({ message: QUESTION }).expect(200);
});

describe('the FAQ page of the ops console', () => {
  it('Ops attach a question from the review queue to an FAQ entry', async () => {
    const page = await signedIn('李运营', '/console/faq');
    await page.getByRole('heading', { name: '问答知识库', level: 1 }).waitFor();
    const queue = page.getByRole('region', { name: '待处理的未解答问题' });
    const cluster = queue.getByRole('region', { name: QUESTION });
    await cluster.waitFor();

    // The deflection chart draws as SVG, named by a summary; the table beside it is its text form.
    const chart = page.getByRole('img', { name: /各类别自助解答率柱状图/ });
    await chart.locator('svg').first().waitFor();
    await page.getByRole('table', { name: '各类别明细（图表的文字版）' }).waitFor();
    expect(await axeProblems(page)).toEqual([]);

    // An unknown entry: the API's refusal shows next to the entry field, and nothing changes.
    const entry = cluster.getByLabel('归入的条目编号');
    await entry.fill('no-such-entry');
    await cluster.getByRole('button', { name: '归入该条目' }).click();
    const refusal = cluster.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('no-such-entry');
    expect(await entry.getAttribute('aria-invalid')).toBe('true');

    await entry.fill('card-lost');
    await cluster.getByRole('button', { name: '归入该条目' }).click();
    await page.getByRole('status').filter({ hasText: '已归入 card-lost' }).waitFor();
    await queue.getByRole('region', { name: QUESTION }).waitFor({ state: 'detached' });
    expect(await queue.getByText(QUESTION).count()).toBe(0);

    // The entry's new draft waits for compliance, on the page and in the API.
    const pending = page.getByRole('table', { name: '待合规审核的草稿' });
    await pending.getByRole('row').filter({ hasText: 'card-lost' }).filter({ hasText: 'ops_li' }).waitFor();
    const drafts = await as(request(world.web.app).get('/api/v1/faq/pending')).expect(200);
    expect(drafts.body.items).toContainEqual(
      expect.objectContaining({ entryId: 'card-lost', author: 'ops_li' }),
    );
    const open = await as(request(world.web.app).get('/api/v1/faq/review-queue')).expect(200);
    expect(open.body.clusters.flatMap((c: { texts: string[] }) => c.texts)).not.toContain(QUESTION);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('lists every bad row of an import the API refuses', async () => {
    const page = await signedIn('李运营', '/console/faq');
    const form = page.getByRole('form', { name: '批量导入' });
    const header = 'id\tcategory\tquestion\tsimilar\tanswer\ttiers\trisk_level\tvalid_from\tvalid_until';
    const rows = [
      'Bad Id!\t信用卡\t怎么办卡\t\t去网点办理\t\t\t\t',
      'card-new\t信用卡\t怎么办新卡\t\t\t\t\t\t',
    ];
    await form.getByLabel('问答文件').setInputFiles({
      name: 'faq.tsv',
      mimeType: 'text/tab-separated-values',
      buffer: Buffer.from([header, ...rows].join('\n')),
    });
    await form.getByRole('button', { name: '导入', exact: true }).click();
    const problems = form.getByRole('alert').getByRole('row');
    await problems.nth(1).waitFor();
    // The header row, then one row per problem: both bad lines are there.
    const text = (await problems.allTextContents()).join('\n');
    expect(text).toMatch(/2\s*id/);
    expect(text).toMatch(/3\s*answer/);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('Ops search the entries by a word of a question, open one and read its answer', async () => {
    const page = await signedIn('李运营', '/console/faq');
    const section = page.getByRole('region', { name: '知识库条目' });
    const table = section.getByRole('table', { name: '知识库条目' });
    // The whole knowledge base is listed first, the starter library included.
    await table.getByRole('row').filter({ hasText: 'card-lost' }).waitFor();

    // Enter in the search box searches on the server; only the matching entry is left.
    const box = section.getByRole('searchbox', { name: /搜索/ });
    await box.fill('测评');
    await box.press('Enter');
    await section.getByRole('status').filter({ hasText: '与“测评”匹配' }).waitFor();
    await table.getByRole('row').filter({ hasText: 'card-lost' }).waitFor({ state: 'detached' });
    const rows = table.getByRole('row').filter({ hasText: 'wealth-risk-test' });
    expect(await rows.count()).toBe(1);
    expect(await table.getByRole('row').count()).toBe(2);
    expect(await rows.textContent()).toContain('为什么要做风险测评');

    await section.getByRole('button', { name: '查看条目 wealth-risk-test 的各版本' }).click();
    const versions = section.getByRole('region', { name: '条目 wealth-risk-test 的各版本' });
    await versions.getByText('测评结果有效期一般为一年', { exact: false }).waitFor();
    expect(await versions.getByRole('article').count()).toBe(1);
    expect(await versions.getByRole('heading', { level: 4 }).textContent()).toBe('第 1 版（已通过）');
    expect(await axeProblems(page)).toEqual([]);
  });
});
