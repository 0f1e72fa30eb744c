import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { Answer, PassageView } from '../../engine/types.ts';
import { passageLocation } from '../../passage-location.ts';
import { printableLine } from '../../printable-text.ts';
import { captureOrigin, jumpLink } from '../capture/captured-document.ts';
import { passageQuote } from './passage-quote.ts';
import { quoteFormattedWithHighlights, quotePassage } from './quote.ts';
import { DISCORD_LIMITS, maskedLink, safeText, trimText } from './text.ts';

const ANSWER_COLOR = 0x2b8a3e;
const NO_MATCH_COLOR = 0x868e96;
/** The most one quote may take: five fields of it, their names and the title stay within the 6,000 per embed. */
const QUOTE_BUDGET = DISCORD_LIMITS.fieldValue - 160;

/** The parts of a reply the bot sends for an answer; mentions are never parsed. */
export interface AnswerMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/**
 * One embed per answer: each passage quoted (its highlight in bold; trimmed around it if long) with its title, section,
 * page (PDF), paragraph number, file and relevance; or an honest "no confident match" naming the closest document.
 * `first` is the rank of the first passage (pages after "More" continue the numbering). A passage of a message
 * captured from Discord in `server` cites a jump link to it (its author and date are its section).
 */
export function buildAnswerEmbed(answer: Answer, first = 1, server?: string): APIEmbed {
  const title = trimText(`Q: ${printableLine(answer.question)}`, DISCORD_LIMITS.embedTitle);
  const footer = { text: `mode: ${answer.mode}${answer.mode === 'keyword' ? ' (keyword search only: no embedding model loaded)' : ''}` };
  if (!answer.answered) {
    const closest = answer.closest
      ? `\nThe closest text I found is in **${safeText(answer.closest.title)}** (\`${safeText(answer.closest.document)}\`), but it doesn't look like an answer.`
      : '';
    return {
      title,
      color: NO_MATCH_COLOR,
      description: `No confident match in the documents.${closest}\nTry other words, or ask an admin to add a document that covers it.`,
      footer,
    };
  }
  return {
    title,
    color: ANSWER_COLOR,
    fields: answer.passages.slice(0, DISCORD_LIMITS.fields).map((passage, i) => {
      const citation = citationLine(passage, server);
      return {
        name: trimText(`${first + i}. ${passageLocation(passage)}`, DISCORD_LIMITS.fieldName),
        value: `${quote(passage, Math.min(QUOTE_BUDGET, DISCORD_LIMITS.fieldValue - citation.length - 1))}\n${citation}`,
      };
    }),
    footer,
  };
}

/**
 * A passage quoted within `max` characters. Prose (one line, as the readers collapse it) shows its answering
 * sentences in bold, trimmed around them; a passage with lines of its own (code, a list, a table) keeps that
 * formatting, its highlight in bold where it is prose or a list item (bold cannot show inside code).
 */
function quote(passage: Pick<PassageView, 'text' | 'highlights'>, max: number): string {
  const formatted = passage.text.includes('\n') || passage.text.includes('`');
  if (passage.highlights.length === 0) return quotePassage(passage.text, max);
  return formatted ? quoteFormattedWithHighlights(passage.text, passage.highlights, max) : passageQuote(passage.text, passage.highlights, max);
}

/**
 * "— [guide/setup.md](https://…/setup.md#install) · relevance 62%": the document, linked to the passage's section
 * when the document says where it is published, else named as a file; a message captured from Discord in
 * `server` links to the message (ids only: nothing to escape). Never longer than a third of a field.
 */
export function citationLine(passage: Pick<PassageView, 'document' | 'score' | 'url'>, server?: string): string {
  const relevance = ` · relevance ${Math.round(passage.score * 100)}%`;
  const origin = server ? captureOrigin(passage.document, server) : undefined;
  if (origin) return `— [jump to the ${origin.kind}](${jumpLink(origin)})${relevance}`;
  const file = `\`${trimText(safeText(passage.document), 120)}\``;
  const linked = passage.url === undefined ? undefined : maskedLink(trimText(passage.document, 120), passage.url);
  const source = linked !== undefined && linked.length <= DISCORD_LIMITS.fieldValue / 3 ? linked : file;
  return `— ${source}${relevance}`;
}

/** Buttons under an answer: "More" when more passages exist, and 👍/👎 feedback. */
export function buildAnswerButtons(answerKey: string, nextOffset: number | null, answered: boolean): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = [];
  if (nextOffset !== null) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'More', custom_id: `ask:more:${answerKey}:${nextOffset}` });
  }
  if (answered) {
    buttons.push(
      { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: `ask:vote:up:${answerKey}` },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, custom_id: `ask:vote:down:${answerKey}` },
    );
  }
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

/** Total characters Discord counts against the 6,000 per-message embed limit. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}
