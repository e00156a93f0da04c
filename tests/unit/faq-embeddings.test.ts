import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { parseEmbeddingsResponse } from '../../src/modules/faq/llm/embeddings-client.ts';

const item = (embedding: unknown, index?: number) => ({
  object: 'embedding',
  ...(index === undefined ? {} : { index }),
  embedding,
});

describe('parseEmbeddingsResponse', () => {
  it('returns one Float32Array per input, in input order', () => {
    const vectors = parseEmbeddingsResponse(
      { object: 'list', data: [item([0, 1], 1), item([1, 0], 0)], model: 'm' },
      2,
    );
    expect(vectors?.map((v) => [...v])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(vectors?.[0]).toBeInstanceOf(Float32Array);
    // A server that leaves out `index` is read in order.
    expect(
      parseEmbeddingsResponse({ data: [item([0.5, 0.5]), item([1, 0])] }, 2)?.map((v) => [...v]),
    ).toEqual([
      [0.5, 0.5],
      [1, 0],
    ]);
  });

  it('rejects a response that does not give exactly one finite vector of one dimension per input', () => {
    const rejected: [unknown, number][] = [
      ['{"data": [', 1],
      [null, 1],
      [{ error: { message: 'overloaded' } }, 1],
      [{ data: [] }, 1],
      [{ data: [item([1, 0], 0)] }, 2],
      [{ data: [item([1, 0], 0), item([1, 0], 1)] }, 1],
      [{ data: [item([1, 0], 0), item([1, 0, 0], 1)] }, 2],
      [{ data: [item([1, 0], 0), item([0, 1], 0)] }, 2],
      [{ data: [item([1, 0], 0), item([0, 1], 5)] }, 2],
      [{ data: [item([], 0)] }, 1],
      [{ data: [item(['0.1', '0.2'], 0)] }, 1],
      [{ data: [item([0.1, null], 0)] }, 1],
      [{ data: [item('AACAPw==', 0)] }, 1],
      // Finite as a double, infinite as a float32.
      [{ data: [item([1e39, 0], 0)] }, 1],
    ];
    for (const [body, count] of rejected) expect(parseEmbeddingsResponse(body, count)).toBeNull();
  });
});

describe('embeddings configuration', () => {
  it('is off unless a model is named, and takes the LLM endpoint and key', () => {
    expect(loadConfig({}).embeddings).toBeNull();
    expect(loadConfig({ LLM_BASE_URL: 'http://llm.bank.internal/v1' }).embeddings).toBeNull();
    const c = loadConfig({
      LLM_BASE_URL: 'http://llm.bank.internal/v1',
      LLM_API_KEY: 'k',
      LLM_EMBEDDINGS_MODEL: 'bge-m3',
      LLM_FEATURES: 'none',
    });
    expect(c.embeddings).toEqual({
      settings: { baseUrl: 'http://llm.bank.internal/v1', apiKey: 'k', model: 'bge-m3', timeoutMs: 300 },
      denseWeight: 3,
    });
    expect(c.llm?.rewrite).toBe(false);
    expect(c.llm?.compose).toBe(false);
  });

  it('refuses a model without an endpoint, and a negative weight', () => {
    expect(() => loadConfig({ LLM_EMBEDDINGS_MODEL: 'bge-m3' })).toThrow(
      /LLM_EMBEDDINGS_MODEL needs LLM_BASE_URL/,
    );
    expect(() =>
      loadConfig({ LLM_BASE_URL: 'http://llm/v1', LLM_EMBEDDINGS_MODEL: 'm', FAQ_DENSE_WEIGHT: '-1' }),
    ).toThrow(/FAQ_DENSE_WEIGHT/);
  });
});
