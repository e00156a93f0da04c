import type { Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The console's content library in a real headless Chromium, maker–checker end to end: an ops maker
 * drafts content with banned claims and sees them marked in the text, compliance refuses to approve it and
 * rejects it, the maker drafts the corrected version, its author may not approve it, and a different
 * compliance reviewer does. The tests run in order: each picks up where the last one left the component.
 */
const BANNED = '这款稳健理财保本保息、稳赚不赔，名额有限，欢迎咨询。';
const CORRECTED = '这款稳健理财近一年运作平稳，名额有限，欢迎咨询。理财非存款、产品有风险、投资须谨慎。';
const world = useConsoleWorld([
  { userid: 'ops_li', name: '李运营' },
  { userid: 'cmp_chen', name: '陈合规' },
]);
const { axeProblems } = world;
const asAdmin = (r: request.Test) => world.asAdmin(r);

beforeAll(async () => {
  await asAdmin(request(world.web.app).put('/api/v1/staff/ops_li'))
    .send({ name: '李运营', role: 'ops' })
    .expect(200);
  await asAdmin(request(world.web.app).put('/api/v1/staff/cmp_chen'))
    .send({ name: '陈合规', role: 'compliance' })
    .expect(200);
});

/** Opens the content page, signs in as `name` on the emulator's WeCom page, and waits for the page. */
async function signedIn(name: string): Promise<Page> {
  const page = await world.signedIn(name, '/console/content');
  await page.getByRole('heading', { name: '内容库' }).waitFor();
  return page;
}

/** Selects the component titled `title` and waits for its versions. */
async function open(page: Page, title: string) {
  await page.getByRole('button', { name: title, exact: true }).click();
  await page.getByRole('table', { name: `${title} 的版本` }).waitFor();
}

const row = (page: Page, v: number) =>
  page
    .getByRole('table', { name: '稳健理财推荐 的版本' })
    .getByRole('row', { name: new RegExp(`第 ${v} 版`) });

describe('the content library page', () => {
  it('lists the library and previews a component for a chosen persona', async () => {
    const page = await signedIn('李运营');
    // Library components with their newest and approved versions.
    const library = page.getByRole('row', { name: /人设开场白/ });
    await expect(library.getByRole('cell').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['人设开场白', '总行内容库', '第 1 版']),
    );
    await open(page, '人设开场白');
    // Without a persona the API cannot fill persona.opener: its own message says so.
    await page.getByRole('alert').filter({ hasText: 'persona.opener' }).waitFor();
    await page.getByLabel('客户经理人设').selectOption({ label: '稳健老师型' });
    await expect.poll(() => page.getByTestId('content-text').textContent()).toContain('我们先把道理讲明白。');
    // rm.name is filled with the signed-in name (`/whoami` gives the WeCom userid).
    expect(await page.getByTestId('content-text').textContent()).toContain('ops_li');
    await page.getByLabel('客户经理人设').selectOption({ label: '知性姐姐型' });
    await expect
      .poll(() => page.getByTestId('content-text').textContent())
      .toContain('今天也想和你聊聊钱的小事');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('lets a maker draft content with banned claims and marks them in the text', async () => {
    const page = await signedIn('李运营');
    const form = page.getByRole('form', { name: '撰写新版本' });
    await form.getByLabel('组件编号').fill('Steady Promo');
    await form.getByLabel('类型').selectOption({ label: '限时活动' });
    await form.getByLabel('标题').fill('稳健理财推荐');
    await form.getByLabel('正文').fill(BANNED);
    await form.getByRole('button', { name: '保存草稿' }).click();
    // The API's own problem with the id, next to that field.
    await page.locator('#draft-id-error').waitFor();
    expect(await page.locator('#draft-id-error').textContent()).toContain('只能包含小写字母');
    expect(await form.getByLabel('组件编号').getAttribute('aria-invalid')).toBe('true');
    await expect(form.getByRole('alert').textContent()).resolves.toContain('内容组件有误');

    await form.getByLabel('组件编号').fill('steady-promo');
    await form.getByRole('button', { name: '保存草稿' }).click();
    await form.getByRole('status').filter({ hasText: '已保存为第 1 版草稿。' }).waitFor();
    await row(page, 1).waitFor();
    expect(await row(page, 1).textContent()).toContain('草稿');

    // The banned claims are marked in the draft's text, each described by its finding.
    const marks = page.getByTestId('content-text').locator('mark');
    await marks.first().waitFor();
    const marked = await marks.allTextContents();
    expect(marked.join('|')).toMatch(/保本/);
    expect(marked.join('|')).toMatch(/稳赚/);
    for (const mark of await marks.all()) {
      expect(await mark.getAttribute('title')).toContain('compliance banned-claim');
      const described = await mark.getAttribute('aria-describedby');
      const reason = await page.locator(`[id="${described?.split(' ')[0]}"]`).textContent();
      expect(reason).toContain(await mark.textContent());
    }
    expect(await page.getByTestId('content-text').textContent()).toBe(BANNED);
    expect(await axeProblems(page)).toEqual([]);

    await row(page, 1).getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => row(page, 1).textContent()).toContain('待审核');
  });

  it('lets compliance reject the draft with a note, and not approve it past its blocking findings', async () => {
    const page = await signedIn('陈合规');
    await open(page, '稳健理财推荐');
    const review = page.getByRole('form', { name: '审核第 1 版' });
    await review.getByRole('button', { name: '批准' }).click();
    await expect(review.getByRole('alert').textContent()).resolves.toMatch(/阻断性问题/);
    // A rejection needs a note: the API's problem with it is shown next to the note.
    await review.getByRole('button', { name: '驳回' }).click();
    await review.locator('.field-error').waitFor();
    expect(await review.getByLabel('审核意见').getAttribute('aria-invalid')).toBe('true');
    await review.getByLabel('审核意见').fill('请删除保本、稳赚表述并补充风险提示');
    await review.getByRole('button', { name: '驳回' }).click();
    await expect.poll(() => row(page, 1).textContent()).toContain('已驳回');
    expect(await row(page, 1).textContent()).toContain('请删除保本、稳赚表述并补充风险提示');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('lets the maker draft the corrected version from the newest text and submit it', async () => {
    const page = await signedIn('李运营');
    await open(page, '稳健理财推荐');
    const form = page.getByRole('form', { name: '撰写新版本' });
    // The newest version's text is brought into the form to edit.
    await expect.poll(() => form.getByLabel('正文').inputValue()).toBe(BANNED);
    expect(await form.getByLabel('组件编号').inputValue()).toBe('steady-promo');
    await form.getByLabel('正文').fill(CORRECTED);
    await form.getByRole('button', { name: '保存草稿' }).click();
    await form.getByRole('status').filter({ hasText: '已保存为第 2 版草稿。' }).waitFor();
    await row(page, 2).waitFor();
    await expect.poll(() => page.getByTestId('content-text').textContent()).toBe(CORRECTED);
    expect(await page.getByTestId('content-text').locator('mark').count()).toBe(0);
    await row(page, 2).getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => row(page, 2).textContent()).toContain('待审核');
  });

  it('shows the API refusing the author approving their own version', async () => {
    // The maker is now also a checker: still not for their own work.
    await asAdmin(request(world.web.app).put('/api/v1/staff/ops_li'))
      .send({ name: '李运营', role: 'compliance' })
      .expect(200);
    try {
      const page = await signedIn('李运营');
      await open(page, '稳健理财推荐');
      const review = page.getByRole('form', { name: '审核第 2 版' });
      await review.getByRole('button', { name: '批准' }).click();
      await expect(review.getByRole('alert').textContent()).resolves.toContain(
        '您不能审核自己撰写的内容 steady-promo 第 2 版',
      );
      expect(await row(page, 2).textContent()).toContain('待审核');
      expect(await axeProblems(page)).toEqual([]);
    } finally {
      await asAdmin(request(world.web.app).put('/api/v1/staff/ops_li'))
        .send({ name: '李运营', role: 'ops' })
        .expect(200);
    }
  });

  it('lets a different compliance reviewer approve the corrected version', async () => {
    const page = await signedIn('陈合规');
    await open(page, '稳健理财推荐');
    const review = page.getByRole('form', { name: '审核第 2 版' });
    await review.getByLabel('审核意见').fill('已按要求修改');
    await review.getByRole('button', { name: '批准' }).click();
    await expect.poll(() => row(page, 2).textContent()).toContain('已批准');
    expect(await row(page, 2).textContent()).toContain('已按要求修改');
    // The list shows the newest approved version.
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /稳健理财推荐/ })
          .first()
          .textContent(),
      )
      .toMatch(/第 2 版.*第 2 版/);
    expect(await axeProblems(page)).toEqual([]);
  });
});
