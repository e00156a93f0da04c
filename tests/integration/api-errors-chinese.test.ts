import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useWebWithPeople } from '../helpers/web-with-people.ts';

/**
 * The API's errors in Chinese for people (the console asks with `Accept-Language: zh-CN`) and in English,
 * exactly as before, for everyone else. The code and each problem's field path never change: machines and
 * the console's field matching rely on them.
 */

const env = useWebWithPeople([
  ['zh-admin', 'admin'],
  ['zh-compliance', 'compliance'],
]);

const as = (role: 'admin' | 'compliance') => ({
  authorization: `Bearer ${env.tokens[`zh-${role}/${role}`]}`,
});
const CJK = /[\u4e00-\u9fff]/;

/** The requests every language is asked: a bad body, an unknown name, a missing client, a role refused. */
const asks = {
  badBody: (lang?: string) =>
    withLanguage(request(env.web.app).put('/api/v1/rms/rm_zh').set(as('admin')), lang).send({
      name: '',
      capacity: 0,
    }),
  unknownPersona: (lang?: string) =>
    withLanguage(request(env.web.app).put('/api/v1/rms/rm_zh').set(as('admin')), lang).send({
      name: 'Wang',
      persona: 'no-such-persona',
    }),
  missingClient: (lang?: string) =>
    withLanguage(request(env.web.app).get('/api/v1/clients/wm_nobody').set(as('admin')), lang),
  refusedRole: (lang?: string) =>
    withLanguage(request(env.web.app).put('/api/v1/staff/someone').set(as('compliance')), lang).send({
      name: 'Someone',
      role: 'ops',
    }),
};

function withLanguage(req: request.Test, lang: string | undefined): request.Test {
  return lang === undefined ? req : req.set('accept-language', lang);
}

/** What a caller reads of an error: its status, code, message and problems (not the request id). */
async function answer(res: Promise<request.Response>) {
  const r = await res;
  const { code, message, problems } = r.body.error;
  return { status: r.status, code, message, problems };
}

// What these requests answer in English, as they did before the API spoke Chinese.
const ENGLISH = {
  badBody: {
    status: 400,
    code: 'bad_request',
    message:
      'invalid body: name: Too small: expected string to have >=1 characters; capacity: Too small: expected number to be >=1',
    problems: [
      'name: Too small: expected string to have >=1 characters',
      'capacity: Too small: expected number to be >=1',
    ],
  },
  unknownPersona: {
    status: 400,
    code: 'bad_request',
    message:
      'invalid body: persona: unknown persona "no-such-persona"; see content-library/personas/personas.yaml',
    problems: ['persona: unknown persona "no-such-persona"; see content-library/personas/personas.yaml'],
  },
  missingClient: {
    status: 404,
    code: 'not_found',
    message: 'no such client in your scope',
    problems: undefined,
  },
  refusedRole: {
    status: 403,
    code: 'forbidden',
    message: 'role "compliance" may not do this; needs admin',
    problems: undefined,
  },
};

describe('with Accept-Language: zh-CN', () => {
  it('answers a bad body with a Chinese message and Chinese problems under the same field paths', async () => {
    const a = await answer(asks.badBody('zh-CN'));
    expect({ status: a.status, code: a.code }).toEqual({ status: 400, code: 'bad_request' });
    expect(a.message).toMatch(/^提交的内容有误：/);
    expect(a.problems).toEqual([expect.stringMatching(/^name: \S/), expect.stringMatching(/^capacity: \S/)]);
    for (const p of a.problems as string[]) {
      const reason = p.slice(p.indexOf(': ') + 2);
      expect(reason).toMatch(CJK);
      expect(reason).not.toMatch(/Too small/);
      expect(a.message).toContain(reason);
    }
    expect(a.problems[0]).toContain('1');
    expect(a.problems[1]).toContain('1');
  });

  it('uses the Chinese twin of a problem written in code', async () => {
    const a = await answer(asks.unknownPersona('zh-CN'));
    expect(a.status).toBe(400);
    expect(a.problems).toEqual([
      'persona: 未知的人设“no-such-persona”；可用的人设见 content-library/personas/personas.yaml',
    ]);
  });

  it("answers a schema's own words (a pattern's) in Chinese, and in English without the header", async () => {
    const ask = (lang?: string) =>
      withLanguage(request(env.web.app).get('/api/v1/audit-log?cursor=not*a*cursor').set(as('admin')), lang);
    const zh = await answer(ask('zh-CN'));
    expect(zh.status).toBe(400);
    expect(zh.problems).toEqual(['cursor: 不是本接口返回的翻页游标']);
    expect((await answer(ask())).problems).toEqual(['cursor: is not a cursor from this API']);
  });

  it('answers a missing client (404) and a refused role (403) in Chinese, codes unchanged', async () => {
    expect(await answer(asks.missingClient('zh-CN'))).toEqual({
      status: 404,
      code: 'not_found',
      message: '在您的权限范围内没有该客户。',
      problems: undefined,
    });
    expect(await answer(asks.refusedRole('zh-CN'))).toEqual({
      status: 403,
      code: 'forbidden',
      message: '您的角色（合规）无权执行此操作，需要：管理员。',
      problems: undefined,
    });
  });

  it('answers an unknown route and an unknown list parameter in Chinese too', async () => {
    const route = await answer(
      request(env.web.app).get('/api/v1/no-such-thing').set(as('admin')).set('accept-language', 'zh-CN'),
    );
    expect(route).toMatchObject({
      status: 404,
      code: 'not_found',
      message: '没有该接口：GET /api/v1/no-such-thing',
    });
    const list = await answer(
      request(env.web.app).get('/api/v1/rms?offset=100').set(as('admin')).set('accept-language', 'zh-CN'),
    );
    expect(list.status).toBe(400);
    expect(list.problems).toEqual([expect.stringMatching(/^offset: 未知的查询参数/)]);
  });
});

describe('in English', () => {
  it('answers exactly what it answered before when the request names no language', async () => {
    for (const [name, ask] of Object.entries(asks)) {
      expect({ name, ...(await answer(ask())) }).toEqual({ name, ...ENGLISH[name as keyof typeof asks] });
    }
  });

  it('answers English when English ranks above Chinese', async () => {
    for (const [name, ask] of Object.entries(asks)) {
      expect({ name, ...(await answer(ask('en-US,zh;q=0.5'))) }).toEqual({
        name,
        ...ENGLISH[name as keyof typeof asks],
      });
    }
  });

  it('answers Chinese when Chinese ranks above English, and English for a language it does not speak', async () => {
    expect((await answer(asks.missingClient('en;q=0.3, zh-TW;q=0.8'))).message).toBe(
      '在您的权限范围内没有该客户。',
    );
    expect((await answer(asks.missingClient('fr-FR'))).message).toBe('no such client in your scope');
  });
});
