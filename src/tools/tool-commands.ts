import type { Subcommand } from '../cli/run-cli.ts';

/** The dev tools behind `docqa bench` and `docqa eval` (npm run bench / eval): they import the engine, never the reverse. */
export const TOOL_COMMANDS: readonly Subcommand[] = [
  {
    name: 'bench',
    usage: '  bench [--quick] [--only model|hnsw|e2e|highlight|pgvector] [--sizes 10000,100000] [--store postgres] [--configured-model] [--json]  Measure speed, recall and memory',
    // The bench pulls in generators and data sets that the everyday commands never need.
    load: async () => (await import('./bench/bench-command.ts')).benchCommand,
  },
  {
    name: 'bench-knowledge',
    usage: '  bench-knowledge [--questions 100000] [--days 90] [--json]  Time /stats and /unanswered on a large question log',
    load: async () => (await import('./bench/bench-knowledge.ts')).benchKnowledgeCommand,
  },
  {
    name: 'eval',
    usage: [
      '  eval <squad.json> [--paragraphs FILE] [--mode keyword|dense|hybrid] [--limit N] [--holdout F] [--sweep] [--json]',
      '                             [--embedding-cache DIR] [--dense-weight W] [--dense-weight-cjk W] [--fusion convex|rrf] [--candidates N]',
      '                             Measure answer quality (Recall@k, MRR, nDCG, abstention) on a SQuAD-format file',
    ].join('\n'),
    load: async () => (await import('./eval/eval-command.ts')).evalCommand,
  },
];
