/**
 * How a folder's files are published: `files` as a forge shows them (GitHub, GitLab: each file at its own path,
 * front matter ignored), or as a docs-site generator builds pages from them, each with its own URL rules.
 */
export type SiteLayout = 'files' | 'docusaurus' | 'hugo' | 'jekyll';

export const SITE_LAYOUTS: readonly SiteLayout[] = ['files', 'docusaurus', 'hugo', 'jekyll'];

/** What a document's front matter says about its own address. */
export interface PageRoute {
  /** `slug:` (Docusaurus, Hugo). */
  readonly slug?: string;
  /** `permalink:` (Jekyll). */
  readonly permalink?: string;
}

/**
 * The path of a document's page below the folder's base URL, each segment percent-encoded ("" is the base
 * itself), from the file's `/`-separated path inside the folder:
 *
 * - `files`: the file's path (`guide/setup.md`).
 * - `docusaurus` (the base is the docs plugin's `routeBasePath`): the path without its extension and number
 *   prefixes (`01-guide/02-setup.md` → `guide/setup`), an `index`/`README` (or a file named like its folder) →
 *   the folder. A `slug` starting with `/` replaces the path from the base; another replaces the file's name,
 *   in its folder (`slug: install` → `guide/install`).
 * - `hugo` (the base is the site; paths lowercased, as Hugo does by default): `guide/setup/`, `_index.md` (a
 *   section) and a bundle's `index.md` → the folder. A `slug` replaces the last segment (not of a section).
 * - `jekyll` (the base is the site): `guide/setup.html`, `index.md` → the folder. A `permalink` without
 *   placeholders is the page's path from the site root (`permalink: /about/`).
 *
 * `..` and `.` segments are dropped, so a front matter value can never lead outside the base URL.
 */
export function pagePath(layout: SiteLayout, relative: string, route: PageRoute): string {
  const folders = relative.split('/');
  const file = folders.pop() ?? '';
  const stem = file.includes('.') ? file.slice(0, file.lastIndexOf('.')) : file;
  switch (layout) {
    case 'files':
      return joinPath([...folders, file]);
    case 'docusaurus':
      return docusaurusPath(folders.map(withoutNumberPrefix), withoutNumberPrefix(stem), route.slug);
    case 'hugo':
      return hugoPath(folders, stem, route.slug).toLowerCase();
    case 'jekyll':
      if (route.permalink !== undefined && !route.permalink.includes(':')) return joinPath(route.permalink.split('/'));
      return stem.toLowerCase() === 'index' ? folderPath(folders) : joinPath([...folders, `${stem}.html`]);
  }
}

function docusaurusPath(folders: string[], name: string, slug: string | undefined): string {
  if (slug !== undefined) return slug.startsWith('/') ? joinPath(slug.split('/')) : joinPath([...folders, ...slug.split('/')]);
  const isFolderIndex = /^(index|readme)$/i.test(name) || name.toLowerCase() === folders.at(-1)?.toLowerCase();
  return isFolderIndex ? folderPath(folders) : joinPath([...folders, name]);
}

function hugoPath(folders: string[], stem: string, slug: string | undefined): string {
  if (stem === '_index' || (folders.length === 0 && stem === 'index')) return folderPath(folders);
  if (stem === 'index') return folderPath([...folders.slice(0, -1), slug ?? folders.at(-1)!]); // a leaf bundle
  return folderPath([...folders, slug ?? stem]);
}

/** Docusaurus's default number prefix (`01-`, `2_`, `3. `), removed from ids and URLs. */
function withoutNumberPrefix(segment: string): string {
  return /^\d+\s*[-_.]+\s*[^-_.\s]/.test(segment) ? segment.replace(/^\d+\s*[-_.]+\s*/, '') : segment;
}

function folderPath(folders: readonly string[]): string {
  const path = joinPath(folders);
  return path === '' ? '' : `${path}/`;
}

/** Segments joined with `/`, each encoded; empty, `.` and `..` ones dropped, a trailing `/` kept. */
function joinPath(segments: readonly string[]): string {
  const kept = segments.filter((segment) => segment !== '' && segment !== '.' && segment !== '..').map(encodeURIComponent);
  const trailing = segments.length > 1 && segments.at(-1) === '' && kept.length > 0 ? '/' : '';
  return kept.join('/') + trailing;
}
