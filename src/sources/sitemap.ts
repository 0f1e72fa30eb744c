import { Parser } from 'htmlparser2';

/** The `<loc>`s of a sitemap: page URLs of a `<urlset>`, or further sitemaps of a `<sitemapindex>`. */
export interface SitemapEntries {
  readonly pages: string[];
  readonly sitemaps: string[];
}

/** Reads a sitemap (sitemaps.org protocol) leniently: any `<loc>` inside `<url>` or `<sitemap>`. */
export function parseSitemap(xml: string): SitemapEntries {
  const pages: string[] = [];
  const sitemaps: string[] = [];
  let container: 'url' | 'sitemap' | null = null;
  let loc: string | null = null;
  const parser = new Parser(
    {
      onopentag(name) {
        const local = name.toLowerCase().replace(/^.*:/, '');
        if (local === 'url' || local === 'sitemap') container = local;
        else if (local === 'loc' && container) loc = '';
      },
      ontext(text) {
        if (loc !== null) loc += text;
      },
      onclosetag(name) {
        const local = name.toLowerCase().replace(/^.*:/, '');
        if (local === 'loc' && loc !== null && container) {
          const value = loc.trim();
          if (value !== '') (container === 'url' ? pages : sitemaps).push(value);
          loc = null;
        } else if (local === 'url' || local === 'sitemap') {
          container = null;
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return { pages, sitemaps };
}
