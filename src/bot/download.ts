import { createError, describeError } from '../errors.ts';

/**
 * Downloads an attachment from Discord's CDN, refusing bodies over `maxBytes` while streaming (the declared size
 * can lie) and giving up after `timeoutMs`.
 */
export async function downloadAttachment(url: string, maxBytes: number, timeoutMs = 20_000): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw createError('DOWNLOAD_FAILED', describeError(error)).causedBy(error);
  }
  if (!response.ok || !response.body) {
    throw createError('DOWNLOAD_FAILED', `HTTP ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) throw createError('FILE_TOO_LARGE', maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'AppError') throw error;
    throw createError('DOWNLOAD_FAILED', describeError(error), 'interrupted').causedBy(error);
  }
  return Buffer.concat(chunks);
}
