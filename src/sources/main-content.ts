import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/**
 * Page furniture removed before Readability scores the page: Readability drops most navigation and footers by
 * itself, but keeps a cookie or consent banner whose text reads like a paragraph (seen on a test page), and a
 * site's header and footer when the article is short. Landmarks and roles say what such elements are.
 */
const FURNITURE = [
  'script', 'style', 'noscript', 'template', 'iframe', 'form', 'svg',
  'nav', 'header', 'footer', 'aside',
  '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="dialog"]', '[role="alertdialog"]', '[aria-modal="true"]', '[aria-hidden="true"]', '[hidden]',
  '[id*="cookie" i]', '[class*="cookie" i]', '[id*="consent" i]', '[class*="consent" i]', '[class*="gdpr" i]',
  '[class*="skip-link" i]', '[class*="breadcrumb" i]', '[class*="sidebar" i]', '[class*="edit-this-page" i]',
].join(',');

/** The readable part of a web page. */
export interface MainContent {
  readonly title: string;
  /** HTML of the main content only (headings, paragraphs, lists, code, tables). */
  readonly html: string;
  /** Links found in the whole page (before stripping), absolute, for crawling a site. */
  readonly links: readonly string[];
}

/**
 * Extracts the main content of an HTML page with Mozilla's Readability (Firefox Reader View) over linkedom, after
 * removing page furniture (see FURNITURE). A page Readability finds no article in (a short page, a landing page)
 * keeps its `<main>` or `<body>` without the furniture.
 */
export function extractMainContent(html: string, pageUrl: string): MainContent {
  const { document } = parseHTML(html);
  const links = collectLinks(document, pageUrl);
  const pageTitle = (document.querySelector('title')?.textContent ?? '').trim();
  const h1 = (document.querySelector('h1')?.textContent ?? '').trim();
  for (const element of [...document.querySelectorAll(FURNITURE)]) element.remove();
  const fallback = (document.querySelector('main, [role="main"], article') ?? document.body)?.innerHTML ?? '';
  let article: { title?: string | null; content?: string | null } | null = null;
  try {
    article = new Readability(document as never, { charThreshold: 200, keepClasses: false }).parse();
  } catch {
    article = null; // a page Readability cannot handle keeps its stripped body
  }
  const content = article?.content && textLength(article.content) >= textLength(fallback) * 0.3 ? article.content : fallback;
  // Readability turns the article's h1 into an h2 and may drop it: the page's h1 leads the content again.
  const heading = h1 && !content.includes(escapeText(h1)) ? `<h1>${escapeText(h1)}</h1>\n` : '';
  return { title: h1 || article?.title?.trim() || pageTitle, html: heading + content, links };
}

function collectLinks(document: ReturnType<typeof parseHTML>['document'], pageUrl: string): string[] {
  const base = document.querySelector('base[href]')?.getAttribute('href');
  let baseUrl: URL;
  try {
    baseUrl = new URL(base ?? pageUrl, pageUrl);
  } catch {
    baseUrl = new URL(pageUrl);
  }
  const links = new Set<string>();
  for (const anchor of document.querySelectorAll('a[href]')) {
    try {
      const url = new URL(anchor.getAttribute('href') ?? '', baseUrl);
      url.hash = '';
      links.add(url.href);
    } catch {
      // not a URL: ignored
    }
  }
  return [...links];
}

function textLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim().length;
}

/** Escapes text for HTML content and attribute values. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The file a fetched web page is stored as: an HTML document whose `<link rel="canonical">` names the page's URL,
 * so its passages link back to the page, with the title and the main content only.
 */
export function pageDocument(url: string, content: Pick<MainContent, 'title' | 'html'>): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeText(content.title || url)}</title>`,
    `<link rel="canonical" href="${escapeText(url)}">`,
    '</head><body>',
    content.html,
    '</body></html>',
    '',
  ].join('\n');
}
