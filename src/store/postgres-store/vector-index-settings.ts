/** pgvector's HNSW index in the PostgreSQL store: how it is built, and the candidate list of a search in SQL. */
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

/** Chosen by `npm run bench -- --only pgvector --store postgres --sizes 100000` (figures in docs/benchmarks.md). */
export const DEFAULT_VECTOR_INDEX: PgVectorIndexSettings = Object.freeze({ m: 16, efConstruction: 64, efSearch: 100, buildMemoryMb: 1024 });
