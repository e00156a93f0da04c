import type { Tokenizer } from './retrieval/tokenizer.ts';

/** A question to cluster. */
export type ClusterInput = { id: number; text: string; candidates: readonly string[] };

/** Questions that ask the same thing, with the one that reads most like the rest. */
export type QuestionCluster = {
  representative: string;
  questionIds: number[];
  texts: string[];
  /** The entries retrieval most often offered for these questions: where ops would likely attach them. */
  likelyEntries: { entryId: string; count: number }[];
};

type Vector = Map<string, number>;

const cosine = (a: Vector, b: Vector, normA: number, normB: number): number => {
  if (normA === 0 || normB === 0) return 0;
  let dot = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [t, v] of small) dot += v * (large.get(t) ?? 0);
  return dot / (normA * normB);
};
const norm = (v: Vector) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0));

/**
 * Groups unanswered questions by wording (jieba words and character bigrams, cosine similarity), greedily:
 * each question joins the most similar cluster whose leader it resembles by at least `minSimilarity`, else
 * starts one. Deterministic for a given input order; clusters come biggest first.
 */
export function clusterQuestions(
  questions: readonly ClusterInput[],
  tokenize: Tokenizer,
  minSimilarity = 0.5,
): QuestionCluster[] {
  const clusters: {
    leader: Vector;
    leaderNorm: number;
    members: { q: ClusterInput; v: Vector; n: number }[];
  }[] = [];
  for (const q of questions) {
    const v: Vector = new Map();
    for (const [term, tf] of tokenize(q.text).bag) if (term[0] === 'w' || term[0] === 'b') v.set(term, tf);
    const n = norm(v);
    let best: (typeof clusters)[number] | undefined;
    let bestSim = minSimilarity;
    for (const c of clusters) {
      const s = cosine(v, c.leader, n, c.leaderNorm);
      if (s >= bestSim) {
        best = c;
        bestSim = s;
      }
    }
    if (best) best.members.push({ q, v, n });
    else clusters.push({ leader: v, leaderNorm: n, members: [{ q, v, n }] });
  }
  return clusters
    .map((c) => {
      let rep = c.members[0];
      let repScore = -1;
      for (const m of c.members) {
        let s = 0;
        for (const o of c.members) if (o !== m) s += cosine(m.v, o.v, m.n, o.n);
        if (s > repScore) {
          rep = m;
          repScore = s;
        }
      }
      const counts = new Map<string, number>();
      for (const m of c.members)
        for (const e of m.q.candidates.slice(0, 1)) counts.set(e, (counts.get(e) ?? 0) + 1);
      return {
        representative: rep?.q.text ?? '',
        questionIds: c.members.map((m) => m.q.id),
        texts: c.members.map((m) => m.q.text),
        likelyEntries: [...counts.entries()]
          .map(([entryId, count]) => ({ entryId, count }))
          .sort((a, b) => b.count - a.count || (a.entryId < b.entryId ? -1 : 1))
          .slice(0, 3),
      };
    })
    .sort((a, b) => b.questionIds.length - a.questionIds.length);
}
