import fs from 'node:fs';
import path from 'node:path';

/** Where transformers.js should look for a model: a root folder plus the model's id beneath it. */
export interface ModelLocation {
  /** Folder that holds models as `<root>/<owner>/<name>/...` (also the download cache). */
  readonly root: string;
  /** The model id as transformers.js sees it, e.g. `Xenova/all-MiniLM-L6-v2`. */
  readonly id: string;
  /** The folder the model's files are (or will be) in. */
  readonly folder: string;
}

/** The ONNX model file, relative to the model's folder (transformers.js's layout). */
export function onnxModelFile(quantized: boolean): string {
  return `onnx/${quantized ? 'model_quantized' : 'model'}.onnx`;
}

/** Files a feature-extraction model needs, relative to its folder. */
export function expectedModelFiles(quantized: boolean): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxModelFile(quantized)];
}

/**
 * Resolves `EMBEDDING_MODEL`. A hub id (`owner/name`) lives in the models folder; an existing local folder
 * (`./my-model`, `/opt/models/e5-small`) is used in place, for offline installs that copy a model in by hand.
 */
export function resolveModelLocation(model: string, modelsDir: string, cwd = process.cwd()): ModelLocation {
  if (model.startsWith('.') || path.isAbsolute(model)) {
    const folder = path.resolve(cwd, model);
    return { root: path.dirname(folder), id: path.basename(folder), folder };
  }
  return { root: modelsDir, id: model, folder: path.join(modelsDir, model) };
}

/** The expected files that are not in the model's folder. */
export function missingModelFiles(location: ModelLocation, quantized: boolean): string[] {
  return expectedModelFiles(quantized).filter((file) => !fs.existsSync(path.join(location.folder, file)));
}
