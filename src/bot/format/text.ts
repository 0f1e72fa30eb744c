import { escapeMarkdown } from 'discord.js';
import { printable } from '../../printable-text.ts';

/**
 * Discord's message limits.
 * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedTotal: 6000,
} as const;

/**
 * Shortens text to at most `max` characters, preferring to end at a sentence, then at a word, and marks the cut
 * with an ellipsis. Never splits a surrogate pair.
 */
export function trimText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const sentenceEnd = Math.max(...[...room.matchAll(/[.!?。！？](?=\s|$)/gu)].map((match) => match.index! + 1), -1);
  let cut = sentenceEnd >= max * 0.6 ? sentenceEnd : room.search(/\s\S*$/u);
  if (cut < max * 0.5) cut = room.length;
  let trimmed = text.slice(0, cut).trimEnd();
  if (/[\uD800-\uDBFF]$/.test(trimmed)) trimmed = trimmed.slice(0, -1);
  return `${trimmed}…`;
}

/**
 * Makes document text safe to show: control characters (escapes, bidi overrides) go, Markdown that would break
 * the layout is escaped, and mentions are broken with a zero-width space so `@everyone`, `<@123>` or `<@&456>`
 * stay inert text even if quoted elsewhere. (Replies also send `allowedMentions: { parse: [] }`; this is the
 * second lock.)
 */
export function safeText(text: string): string {
  // escapeMarkdown leaves masked links, headings, subtext and quote lines alone: escaped here too.
  const escaped = escapeMarkdown(printable(text)).replace(/[[\]]/g, '\\$&').replace(/^(\s*)(#|-#|>)/gm, '$1\\$2');
  return breakMentions(escaped);
}

/** `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>`, `<#id>` broken with a zero-width space. */
export function breakMentions(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1').replace(/<(@[!&]?|#)(\d+)>/g, '<\u200b$1$2>');
}

/**
 * A masked link: `label` (inert text) pointing at `url`, an absolute http(s) URL from a document or the
 * configuration. The characters that could end the link early or be read as Markdown are percent-encoded. Only
 * for embeds, which never unfurl links; message content would need `<url>` to keep Discord from embedding it.
 */
export function maskedLink(label: string, url: string): string {
  const encode = (character: string) =>
    character.charCodeAt(0) < 0x80 ? `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(character);
  const target = url.replace(/[\s()[\]<>|*_~`\\]/g, encode);
  return `[${safeText(label)}](${target})`;
}

/** Quotes text as a Markdown block quote, line by line. */
export function blockQuote(text: string): string {
  return text.split('\n').map((line) => `> ${line}`).join('\n');
}
