/** Longest URL a document may declare for itself; anything longer is not a link a reply could carry. */
const MAX_URL_LENGTH = 2000;

/**
 * `value` as a normalised absolute http(s) URL (what `new URL` prints), or undefined when it is not one: a relative
 * path, another scheme (`javascript:`, `file:`), credentials in it, or over 2,000 characters. Documents say where
 * they live with it; nothing else of theirs becomes a link.
 */
export function absoluteHttpUrl(value: string): string | undefined {
  if (value.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href;
}
