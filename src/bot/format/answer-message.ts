import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { Answer, PassageView } from '../../engine/types.ts';
import { printableLine } from '../../printable-text.ts';
import { passageQuote } from './passage-quote.ts';
import { DISCORD_LIMITS, safeText, trimText } from './text.ts';

const ANSWER_COLOR = 0x2b8a3e;
const NO_MATCH_COLOR = 0x868e96;
/** Leaves room in a field for the quote markers and the source line. */
const QUOTE_BUDGET = DISCORD_LIMITS.fieldValue - 160;

/** The parts of a reply the bot sends for an answer; mentions are never parsed. */
export interface AnswerMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/** "Title › Section › ¶3", the passage's place in its document. */
export function passageLocation(passage: Pick<PassageView, 'title' | 'section' | 'paragraphNumber'>): string {
  return [passage.title, passage.section, `¶${passage.paragraphNumber}`].filter(Boolean).map(printableLine).join(' › ');
}

/**
 * One embed per answer: each passage quoted (its highlight in bold; trimmed around it if long) with its title, section,
 * paragraph number, file and relevance; or an honest "no confident match" naming the closest document.
 * `first` is the rank of the first passage (pages after "More" continue the numbering).
 */
export function buildAnswerEmbed(answer: Answer, first = 1): APIEmbed {
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
    fields: answer.passages.slice(0, DISCORD_LIMITS.fields).map((passage, i) => ({
      name: trimText(`${first + i}. ${passageLocation(passage)}`, DISCORD_LIMITS.fieldName),
      value: trimText(
        `${passageQuote(passage.text, passage.highlights, QUOTE_BUDGET)}\n— \`${safeText(passage.document)}\` · relevance ${Math.round(passage.score * 100)}%`,
        DISCORD_LIMITS.fieldValue,
      ),
    })),
    footer,
  };
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
