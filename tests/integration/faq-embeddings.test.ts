import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { createConfiguredSmartService } from '../../src/app/faq-wiring.ts';
import { createServices } from '../../src/app/services.ts';
import type { Config } from '../../src/config.ts';
import type { SmartAnswer } from '../../src/modules/faq/smart-answer.service.ts';
import { createTestContext, waitUntil } from '../helpers/infra.ts';
import { type OpenAiStub, type StubEmbeddingRequest, startOpenAiStub } from '../helpers/openai-stub.ts';

const TIMEOUT_MS = 300;
// Refreshing the served KB, ranking and compliance-checking the candidates, on a loaded CI machine.
const MARGIN_MS = 700;
const CLIENT = { tier: 'basic' };
// The starter FAQ has 「信用卡被偷了怎么办」 as a similar question of card-lost; lexically this short,
// colloquial question is not confident enough to answer, but it is close in meaning to that one.
const STOLEN = '卡被偷了';

type Smart = ReturnType<typeof createConfiguredSmartService>;

let stub: OpenAiStub;
let ctx: AppContext;
let close: () => Promise<void>;
let services: ReturnType<typeof createServices>;
/** The service as configured: with embeddings. */
let hybrid: Smart;
/** The same FAQ without embeddings: what Helix answers today. */
let lexical: Smart;
const logLines: string[] = [];

/** Another smart service on the same database and config, with `embeddings` replaced. */
const smartWith = (embeddings: Config['embeddings']) =>
  createConfiguredSmartService({
    config: { ...ctx.config, embeddings },
    db: ctx.database.db,
    check: services.checker(),
    clock: ctx.clock,
    log: ctx.log,
    metrics: ctx.metrics,
  });

/** The embeddings requests the stub receives from now on. */
const embeddingsFromNow = () => {
  const from = stub.embeddingRequests.length;
  return () => stub.embeddingRequests.slice(from);
};

/** Resolves once every served entry has vectors for its served version. */
const embeddingsReady = (smart: Smart) =>
  waitUntil(
    () => {
      const s = smart.dense?.status();
      return s && !s.syncing && s.served > 0 && s.embedded === s.served;
    },
    10_000,
    'entry embeddings',
  );

const answer = (smart: Smart, question: string) => smart.answerer.answer(question, CLIENT);
const top = (a: SmartAnswer) => a.suggestions[0]?.entryId;

beforeAll(async () => {
  stub = await startOpenAiStub(() => ({ status: 500 }));
  ({ ctx, close } = await createTestContext(
    {
      LLM_BASE_URL: stub.url,
      LLM_API_KEY: 'stub-key',
      LLM_FEATURES: 'none',
      LLM_EMBEDDINGS_MODEL: 'stub-embed',
      LLM_EMBEDDINGS_TIMEOUT_MS: String(TIMEOUT_MS),
      LOG_LEVEL: 'warn',
    },
    {
      logTo: new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    },
  ));
  services = createServices(ctx);
  hybrid = services.smart();
  await hybrid.faq.syncLibrary(services.starterFaq());
  lexical = smartWith(null);
});
afterAll(async () => {
  await services?.close();
  await close?.();
  await stub?.close();
});

describe('dense similarity from an embeddings endpoint', () => {
  it('is off unless an embeddings model is configured', () => {
    expect(ctx.config.embeddings?.settings.model).toBe('stub-embed');
    expect(lexical.dense).toBeNull();
  });

  it('answers a question retrieval alone hands off when it is close in meaning to one entry', async () => {
    const received = embeddingsFromNow();
    // The first question starts embedding the served entries in the background; it never waits for them.
    await answer(hybrid, STOLEN);
    await embeddingsReady(hybrid);
    const entryCalls = received().filter((r) => r.input.length > 1);
    expect(entryCalls).toHaveLength(1);
    expect(entryCalls[0]?.model).toBe('stub-embed');
    expect(entryCalls[0]?.input).toContain('信用卡被偷了怎么办');

    const before = await answer(lexical, STOLEN);
    expect(before.outcome).toBe('handoff');
    const after = await answer(hybrid, STOLEN);
    expect(after.outcome).toBe('answer');
    expect(top(after)).toBe('card-lost');
    expect(after.suggestions[0]?.answer).toContain('挂失');

    // What retrieval already answers stays answered the same way.
    for (const q of ['信用卡丢了怎么挂失', '跨行转账多久到账']) {
      const [a, b] = [await answer(lexical, q), await answer(hybrid, q)];
      expect(b.outcome).toBe('answer');
      expect(top(b)).toBe(top(a));
    }
  });

  it('embeds the entries once per version: a new question embeds only itself', async () => {
    await embeddingsReady(hybrid);
    const received = embeddingsFromNow();
    await answer(hybrid, '我的信用卡被人偷了怎么办');
    expect(hybrid.dense?.status().syncing).toBe(false);
    expect(received()).toEqual<StubEmbeddingRequest[]>([
      { model: 'stub-embed', input: ['我的信用卡被人偷了怎么办'] },
    ]);
  });

  it('re-embeds only the entry of which a new version was approved', async () => {
    const received = embeddingsFromNow();
    const { version } = await ctx.database.db.transaction((tx) =>
      hybrid.faq.writeDraft(tx, { entryId: 'card-repay', addSimilar: ['信用卡账单怎么还'] }, '运营小李'),
    );
    await hybrid.faq.review('card-repay', version, { name: '合规老王', role: 'compliance' }, 'approved');
    await answer(hybrid, STOLEN);
    await embeddingsReady(hybrid);
    const entryCalls = received().filter((r) => r.input[0] !== STOLEN);
    expect(entryCalls).toEqual<StubEmbeddingRequest[]>([
      {
        model: 'stub-embed',
        input: ['信用卡怎么还款', '信用卡在哪里还钱', '还信用卡有哪些方式', '信用卡账单怎么还'],
      },
    ]);
    // The other entries' vectors still count.
    expect((await answer(hybrid, STOLEN)).outcome).toBe('answer');
  });

  describe('falls back to exactly the lexical decision, within the deadline, when the endpoint', () => {
    const questions = [STOLEN, '信用卡怎么收', '信用卡丢了怎么挂失'];

    /**
     * Every question answered by `smart` equals retrieval alone (`baseline`: an index built the same way,
     * since floating-point sums depend on the order entries were indexed in), each within the timeout.
     */
    async function expectLexical(smart: Smart, baseline = lexical) {
      for (const q of questions) {
        const t0 = performance.now();
        const got = await answer(smart, q);
        expect(performance.now() - t0).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
        expect(got).toEqual(await answer(baseline, q));
      }
    }

    it('is down', async () => {
      const gone = await startOpenAiStub(() => ({ status: 500 }));
      await gone.close();
      const settings = ctx.config.embeddings?.settings as NonNullable<Config['embeddings']>['settings'];
      await expectLexical(
        smartWith({ settings: { ...settings, baseUrl: gone.url }, denseWeight: 3 }),
        smartWith(null),
      );
    });

    it('answers with an error status', async () => {
      await embeddingsReady(hybrid);
      stub.setEmbeddingResponder(() => ({ status: 503 }));
      await expectLexical(hybrid);
    });

    it('is slower than the timeout, or never answers', async () => {
      await embeddingsReady(hybrid);
      stub.setEmbeddingResponder(() => ({ embed: true, delayMs: TIMEOUT_MS * 5 }));
      await expectLexical(hybrid);
      stub.setEmbeddingResponder(() => ({ hang: true }));
      await expectLexical(hybrid);
    });

    it('sends garbage', async () => {
      await embeddingsReady(hybrid);
      for (const body of [
        '{"data": [',
        { data: [] },
        { data: [{ index: 0, embedding: ['0.1', '0.2'] }] },
        { data: [{ index: 0, embedding: [] }] },
        { error: 'overloaded' },
      ]) {
        stub.setEmbeddingResponder(() => ({ status: 200, body }));
        await expectLexical(hybrid);
      }
    });
  });

  it('logs each failed call without the client’s text', () => {
    const failures = logLines.filter((l) => l.includes('embeddings call failed'));
    // Down, 503, slow, hanging and five kinds of garbage, three questions each.
    expect(failures.length).toBeGreaterThanOrEqual(27);
    for (const line of failures) for (const q of [STOLEN, '信用卡怎么收']) expect(line).not.toContain(q);
  });
});
