import robotsParserModule from 'robots-parser';

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
// The package is CommonJS (`module.exports = function`) and its typings declare an ES default export instead.
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robot;
import { safeFetch, type FetchPolicy } from './safe-http.ts';

/** What a site's robots.txt allows this bot. */
export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Seconds between requests the site asks for, if it does. */
  readonly crawlDelaySeconds: number | undefined;
  /** Sitemaps the robots.txt names. */
  readonly sitemaps: readonly string[];
}

/** The user agent's product token, matched against `User-agent:` lines. */
export const ROBOTS_AGENT = 'docqa';

/**
 * Fetches `<origin>/robots.txt`. A missing one (any 4xx) or one that cannot be fetched allows everything, as
 * crawlers commonly do; its rules for "docqa" (else for "*") are honoured.
 */
export async function fetchRobots(origin: string, policy: FetchPolicy): Promise<RobotsRules> {
  const robotsUrl = new URL('/robots.txt', origin).href;
  let text = '';
  try {
    const response = await safeFetch(robotsUrl, policy);
    if (response.status === 200) text = response.body.toString('utf8');
  } catch {
    text = '';
  }
  const robots = robotsParser(robotsUrl, text);
  return {
    isAllowed: (url) => robots.isAllowed(url, ROBOTS_AGENT) !== false,
    crawlDelaySeconds: robots.getCrawlDelay(ROBOTS_AGENT),
    sitemaps: robots.getSitemaps(),
  };
}
