import {
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type AnyThreadChannel,
  type Client,
} from 'discord.js';
import type { MessageCommand } from '../src/bot/command.ts';
import { captureMessage, captureThread, threadPlace, type Capture } from '../src/bot/capture/read-messages.ts';
import { capturedDocumentName } from '../src/bot/capture/captured-document.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { safeText } from '../src/bot/format/text.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { progressEditor, quiet, textReply } from '../src/bot/reply.ts';
import type { BotContext } from '../src/bot/context.ts';

const NAME = 'Add to knowledge base';
/** `Add to knowledge base:thread:<thread id>:<message id>`: replace the captured reply by its whole thread. */
const WHOLE_THREAD = `${NAME}:thread:`;

/**
 * Message command (admin) "Add to knowledge base": the message becomes a document of this server's knowledge base,
 * indexed at once and cited with its author, date and a jump link. On a thread's starter (its question) it takes
 * the whole thread; on a reply inside a thread it takes that reply and offers a button for the whole thread.
 */
export default {
  data: new ContextMenuCommandBuilder()
    .setName(NAME)
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const message = interaction.targetMessage;
    const botId = interaction.client.user.id;
    const place = threadPlace(message);
    const single = place?.isStarter ? undefined : captureMessage(message, botId); // refuses before acknowledging
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const capture = single ?? (await captureThread(await threadChannel(interaction.client, place!.threadId), botId));
    const added = await addCapture(context, interaction.guildId!, capture, progressEditor(interaction));
    const offerThread = place && !place.isStarter;
    const button = { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Add the whole thread instead', custom_id: `${WHOLE_THREAD}${place?.threadId}:${message.id}` } as const;
    await interaction.editReply({ ...textReply(added), components: offerThread ? [{ type: ComponentType.ActionRow, components: [button] }] : [] });
  },

  /** The whole thread replaces the reply captured alone. */
  async button(interaction, context) {
    const [threadId, messageId] = interaction.customId.slice(WHOLE_THREAD.length).split(':');
    const server = interaction.guildId!; // guildOnly
    await interaction.deferUpdate();
    const capture = await captureThread(await threadChannel(interaction.client, threadId!), interaction.client.user.id);
    const added = await addCapture(context, server, capture, progressEditor(interaction));
    const alone = capturedDocumentName({ kind: 'message', channelId: threadId!, messageId: messageId! });
    const own = await context.knowledge.listDocuments(server);
    if (own.some((document) => document.scope === server && document.path === alone)) await context.knowledge.removeDocument(server, alone);
    await interaction.editReply(quiet({ content: textReply(added).content, components: [] }));
  },
} satisfies MessageCommand;

async function threadChannel(client: Client<true>, threadId: string): Promise<AnyThreadChannel> {
  const channel = client.channels.cache.get(threadId) ?? (await client.channels.fetch(threadId));
  if (!channel?.isThread()) throw new Error(`channel ${threadId} is not a thread`);
  return channel;
}

/** Stores and indexes the capture; the reply says what was added and what was left out. */
async function addCapture(context: BotContext, server: string, capture: Capture, onProgress: ReturnType<typeof progressEditor>): Promise<string> {
  const { path, report } = await context.knowledge.addDocument(server, capture.fileName, capture.bytes, onProgress);
  const authors = [...new Set(capture.messages.map((message) => message.authorName))];
  const what =
    capture.kind === 'message'
      ? `the message by **${safeText(authors[0]!)}**`
      : `**${safeText(capture.title)}**: ${capture.messages.length} messages by ${authors.map((author) => `**${safeText(author)}**`).join(', ')}`;
  const { ownAnswers, withoutText } = capture.leftOut;
  const leftOut = [ownAnswers > 0 ? `${ownAnswers} of the bot's own answers` : '', withoutText > 0 ? `${withoutText} without readable text (reading a thread needs the Message Content intent)` : '']
    .filter(Boolean)
    .join(', ');
  return [
    `📌 Added ${what} to this server's knowledge base as \`${safeText(path)}\`; questions are answered from it now, citing a link to it.`,
    ...(leftOut ? [`Left out: ${leftOut}.`] : []),
    formatReport(report),
  ].join('\n');
}
