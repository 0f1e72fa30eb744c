/** pgvector's HNSW index in the PostgreSQL store: how it is built, and the candidate list of a search in SQL. Settings only (config reads them), so no room above the store imports the PostgreSQL backend. */
export interface PgVectorIndexSettings {
  /** Links per node (DATABASE_HNSW_M). */
  readonly m: number;
  /** Candidate list while building (DATABASE_HNSW_EF_CONSTRUCTION). */
  readonly efConstruction: number;
  /** hnsw.ef_search of a search in SQL (DATABASE_HNSW_EF_SEARCH). */
  readonly efSearch: number;
  /**
   * maintenance_work_mem of the reindex transaction that builds the index (DATABASE_BUILD_MEMORY_MB): pgvector
   * builds the graph in memory while it fits, and much more slowly once it does not.
   */
  readonly buildMemoryMb: number;
}

/**
 * Chosen by `npm run bench -- --only pgvector --store postgres --sizes 100000` (docs/benchmarks.md): at 100k
 * paragraphs m 24 reaches recall@10 0.989 at ef_search 80 (one server's scope: 0.990) for 1.5× the build time of
 * m 16, which needs ef_search 160 for as much; ef_construction 128 added ≤ 0.007 for 1.7× the build. 1 GiB holds
 * the graph of 100k 384-dim paragraphs: the server's 64 MB made the same build 5× slower.
 */
export const DEFAULT_VECTOR_INDEX: PgVectorIndexSettings = Object.freeze({ m: 24, efConstruction: 64, efSearch: 80, buildMemoryMb: 1024 });
