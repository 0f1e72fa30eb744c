import type { Subcommand } from './run-cli.ts';

/** The commands a user runs: index, ask, stats, the source commands and the two model commands. */
export const USER_COMMANDS: readonly Subcommand[] = [
  {
    name: 'index',
    usage: '  index                      Build or update the index of index-data/docs/',
    load: async () => (await import('./index-command.ts')).indexCommand,
  },
  {
    name: 'ask',
    usage: [
      '  ask "<question>"           Print the passages that answer the question',
      '      --k N                  How many passages (default: TOP_K, 3)',
      '      --json                 Print {"question","mode","answered","passages":[...]} as JSON',
      '      --server ID            Also search the documents a Discord server added',
    ].join('\n'),
    load: async () => (await import('./ask-command.ts')).askCommand,
  },
  {
    name: 'stats',
    usage: '  stats [--json]             Documents, paragraphs, model and mode of the index',
    load: async () => (await import('./stats-command.ts')).statsCommand,
  },
  {
    name: 'add-source',
    usage: [
      '  add-source <url>           Add a web page, a site (sitemap or links under the path) or a git repository',
      '      --server ID            To that Discord server\'s knowledge (default: shared)',
      '      --kind page|site|git   When the URL does not say (default: from the URL)',
    ].join('\n'),
    load: async () => (await import('./add-source-command.ts')).addSourceCommand,
  },
  {
    name: 'sync',
    usage: '  sync [--source ID]         Re-sync every source (or one) and index what changed',
    load: async () => (await import('./sync-command.ts')).syncCommand,
  },
  {
    name: 'remove-source',
    usage: '  remove-source ID           Delete a source\'s pages and drop them from the index',
    load: async () => (await import('./remove-source-command.ts')).removeSourceCommand,
  },
  {
    name: 'sources',
    usage: '  sources [--json]           The sources, with page count, last sync and last error',
    load: async () => (await import('./sources-command.ts')).sourcesCommand,
  },
  {
    name: 'download-model',
    usage: '  download-model             Download EMBEDDING_MODEL into MODELS_DIR ahead of time (for offline hosts)',
    load: async () => (await import('./download-model-command.ts')).downloadModelCommand,
  },
  {
    name: 'import-model',
    usage: [
      '  import-model <folder> [--id NAME]',
      '                             Convert a sentence-transformers BERT checkpoint (model.safetensors) into MODELS_DIR/NAME',
    ].join('\n'),
    // The ONNX graph builder and protobuf encoder are only needed for this one-off conversion.
    load: async () => (await import('./import-model-command.ts')).importModelCommand,
  },
];
