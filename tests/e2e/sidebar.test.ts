import { sql } from 'drizzle-orm';
import type { FrameLocator, Page } from 'playwright-core';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useConsoleWorld } from '../helpers/console-world.ts';

/**
 * The RM sidebar (聊天工具栏) in a real headless Chromium, inside the WeCom emulator's chat window, which
 * stands in for WeCom's JS-SDK: 陈经理 signs in through the emulator's WeCom page and opens the chat with
 * his client 孙女士. The sidebar shows her profile; he asks it what she asked, uses the approved FAQ answer
 * and sends it, and the emulator's chat receives exactly that text; the same answer with a banned claim
 * added is refused with the finding next to the box, and nothing more reaches the chat.
 */
const CLIENT = 'wm_sun_0417';
const QUESTION = '信用卡丢了怎么挂失';
const world = useConsoleWorld([{ userid: 'rm_chen', name: '陈经理' }], {
  // The emulator plays the built-in one, so Helix lets its chat window frame the sidebar.
  env: { WECOM_EMULATOR: 'on' },
});
const { signedIn, axeProblems } = world;
const as = (r: request.Test) => world.asAdmin(r);
/** The approved starter FAQ answer the question finds (content-library/faq/starter-faq.tsv, card-lost). */
let answer = '';

beforeAll(async () => {
  const { web, ctx } = world;
  await as(request(web.app).put('/api/v1/rms/rm_chen'))
    .send({ name: '陈经理', branch: '南山支行', persona: 'zhixing-jiejie' })
    .expect(200);
  await queryRows(
    ctx.database.db,
    sql`INSERT INTO clients (external_userid, name, owner_rm, risk_level, tags, tier, acquired_at)
        VALUES (${CLIENT}, '孙女士', 'rm_chen', 'C3', ARRAY['基金', '信用卡']::text[], 'premium',
                '2025-03-01T02:00:00Z')`,
  );
  world.emu.emulator.seed({
    contacts: [{ externalUserId: CLIENT, name: '孙女士', followUsers: [{ userid: 'rm_chen' }] }],
  });
  // The starter FAQ is approved when the content library is synced: the question finds it.
  const suggested = await as(request(web.app).post('/api/v1/assist/suggest'))
    .send({ message: QUESTION, client: { tier: 'premium' } })
    .expect(200);
  const top = suggested.body.suggestions[0] as {
    entryId: string;
    answer: string;
    compliance: { ok: boolean };
  };
  expect(top).toMatchObject({ entryId: 'card-lost', compliance: { ok: true } });
  answer = top.answer;
});

/** 陈经理, signed in, in the emulator's chat with his client, the Helix sidebar beside it. */
async function chatWithClient(): Promise<{ page: Page; sidebar: FrameLocator }> {
  const page = await signedIn('陈经理');
  const at = new URLSearchParams({ sidebar: `${world.base}/sidebar`, externalUserid: CLIENT });
  await page.goto(`${world.emu.url}/emulator/sidebar?${at}`);
  await page.getByRole('heading', { name: '与客户 孙女士 的单聊', level: 1 }).waitFor();
  return { page, sidebar: page.frameLocator('iframe[title="聊天工具栏：Helix 侧边栏"]') };
}

describe('the RM sidebar in the emulator’s chat window', () => {
  it('tells the page the emulator frames it, so it talks to the fake JS-SDK', async () => {
    const res = await as(request(world.base).post('/api/v1/sidebar/jssdk-config'))
      .send({ url: `${world.base}/sidebar` })
      .expect(200);
    expect(res.body.emulatorOrigin).toBe(world.emu.url);
  });

  it('shows the client, suggests the approved answer and sends exactly what the RM chose', async () => {
    const { page, sidebar } = await chatWithClient();
    const profile = sidebar.getByRole('region', { name: '客户概况 · 孙女士' });
    await profile.getByText('高级（金葵花）', { exact: true }).waitFor();
    await profile.getByText('C3', { exact: true }).waitFor();
    await profile.getByText('基金、信用卡', { exact: true }).waitFor();
    await profile.getByText('知性姐姐型', { exact: true }).waitFor();

    await sidebar.getByRole('textbox', { name: '客户问题' }).fill(QUESTION);
    await sidebar.getByRole('button', { name: '查找建议答案' }).click();
    const use = sidebar.getByRole('button', { name: `使用：${QUESTION}` });
    await use.waitFor();
    await sidebar.getByText('合规检查通过').first().waitFor();
    await use.click();
    const box = sidebar.getByRole('textbox', { name: '发送内容' });
    expect(await box.inputValue()).toBe(answer);

    await sidebar.getByRole('button', { name: '发送', exact: true }).click();
    await sidebar.getByRole('status').getByText('已发送到聊天。').waitFor();
    // The chat received exactly that text: in the emulator, its control route and its chat pane.
    expect(world.emu.emulator.sidebarMessages()).toEqual([
      { chat: { kind: 'single', externalUserid: CLIENT }, text: answer, at: expect.any(Number) },
    ]);
    const recorded = await request(world.emu.url).get('/emulator/sidebar/messages').expect(200);
    expect(recorded.body.messages.map((m: { text: string }) => m.text)).toEqual([answer]);
    await page.getByRole('list', { name: '聊天记录' }).getByText(answer, { exact: true }).waitFor();
    expect(await axeProblems(page)).toEqual([]);

    // The RM adds a promise of principal: the check refuses it next to the box, and nothing is sent.
    const edited = `${answer}这款理财保本保收益。`;
    await box.fill(edited);
    await sidebar.getByRole('button', { name: '发送', exact: true }).click();
    const refusal = sidebar.getByRole('region', { name: '发送内容' }).getByRole('alert');
    await refusal.waitFor();
    const said = await refusal.textContent();
    expect(said).toContain('未发送');
    expect(said).toContain('“保本');
    expect(said).toContain('删除保本表述');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await box.inputValue()).toBe(edited);
    expect(world.emu.emulator.sidebarMessages()).toHaveLength(1);
    expect(await page.getByRole('list', { name: '聊天记录' }).getByRole('listitem').count()).toBe(1);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('sends a piece of approved content as it is shown', async () => {
    const { sidebar } = await chatWithClient();
    const content = sidebar.getByRole('region', { name: '可发送的内容' });
    const item = content
      .getByRole('listitem')
      .filter({ has: sidebar.getByRole('button', { name: /^发送：/, disabled: false }) })
      .first();
    await item.waitFor();
    const text = await item.locator('.pre').textContent();
    const send = item.getByRole('button', { name: /^发送：/ });
    const name = (await send.getAttribute('aria-label'))?.replace(/^发送：/, '');
    await send.click();
    await content.getByRole('status').getByText(`已发送“${name}”到聊天。`).waitFor();
    expect(world.emu.emulator.sidebarMessages().at(-1)).toEqual({
      chat: { kind: 'single', externalUserid: CLIENT },
      text,
      at: expect.any(Number),
    });
  });

  it('opened in a plain browser tab, outside WeCom, says where to open it', async () => {
    const page = await signedIn('陈经理');
    await page.goto(`${world.base}/sidebar`);
    await page.getByRole('alert').getByText('请在与客户的单聊或客户群的聊天工具栏中打开本页。').waitFor();
    expect(await page.getByRole('button', { name: '发送', exact: true }).count()).toBe(0);
  });
});
