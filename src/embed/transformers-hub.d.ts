// transformers.js 2.x declares its hub helpers under types/, which TypeScript does not find for a deep import.
declare module '@xenova/transformers/src/utils/hub.js' {
  /** Returns a model file's bytes, downloading it into `env.cacheDir` first when remote models are allowed. */
  export function getModelFile(pathOrRepoId: string, filename: string, fatal?: boolean, options?: object): Promise<Uint8Array>;
}
