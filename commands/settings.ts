import { ChannelType, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatSettings } from '../src/bot/format/settings-report.ts';
import { safeText } from '../src/bot/format/text.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { textReply } from '../src/bot/reply.ts';
import { createError } from '../src/errors.ts';
import type { SettingsChange } from '../src/knowledge/server-settings.ts';

const QUESTION_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] as const;

/**
 * `/settings` (admin): this server's Q&A channels, answering in threads, public answers, threshold, passages per
 * answer, and the documents a channel answers from. A value left out goes back to the `.env` default. Every
 * change takes effect with the next question; the reply shows all settings after it.
 */
export default {
  data: new SlashCommandBuilder()
    .setName('settings')
    .setDescription('Admin: how the bot answers in this server')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((sub) => sub.setName('show').setDescription('Show this server\'s settings'))
    .addSubcommand((sub) =>
      sub
        .setName('qa-channel')
        .setDescription('Make every message in a channel a question, or stop')
        .addChannelOption((option) => option.setName('channel').setDescription('The channel').setRequired(true).addChannelTypes(...QUESTION_CHANNELS))
        .addBooleanOption((option) => option.setName('enabled').setDescription('Answer every message there').setRequired(true)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('answer-in-thread')
        .setDescription('Answer conversation questions in a thread')
        .addBooleanOption((option) => option.setName('value').setDescription('Leave out for the default (ANSWER_IN_THREAD)')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('public-answers')
        .setDescription('Make /ask answers public unless the member asks otherwise')
        .addBooleanOption((option) => option.setName('value').setDescription('Leave out for the default (private)')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('threshold')
        .setDescription('The "no confident match" threshold (0-1): higher withholds more answers')
        .addNumberOption((option) => option.setName('value').setDescription('Leave out for the default (MIN_SCORE)').setMinValue(0).setMaxValue(1))
        .addBooleanOption((option) => option.setName('suggested').setDescription("Apply the threshold this server's 👍/👎 votes support (see /stats)")),
    )
    .addSubcommand((sub) =>
      sub
        .setName('passages')
        .setDescription('Passages per answer')
        .addIntegerOption((option) => option.setName('count').setDescription('Leave out for the default (TOP_K)').setMinValue(1).setMaxValue(10)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('channel-documents')
        .setDescription('Limit a channel to some documents')
        .addChannelOption((option) => option.setName('channel').setDescription('The channel').setRequired(true).addChannelTypes(...QUESTION_CHANNELS))
        .addStringOption((option) =>
          option.setName('documents').setDescription('Comma-separated documents or folders/ (as /sources lists them); leave out for all').setMaxLength(1000),
        ),
    )
    .addSubcommand((sub) => sub.setName('reset').setDescription('Every setting back to the default')),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const server = interaction.guildId!; // guildOnly
    const options = interaction.options;
    const subcommand = options.getSubcommand(true);
    let change: SettingsChange = {};
    if (subcommand === 'qa-channel') {
      const channel = options.getChannel('channel', true).id;
      const current = context.settings.get(server).qaChannels ?? context.config.qaChannelIds;
      const enabled = options.getBoolean('enabled', true);
      change = { qaChannels: enabled ? [...new Set([...current, channel])] : current.filter((id) => id !== channel) };
    } else if (subcommand === 'answer-in-thread') change = { answerInThread: options.getBoolean('value') };
    else if (subcommand === 'public-answers') change = { publicAnswers: options.getBoolean('value') };
    else if (subcommand === 'threshold') change = { minScore: options.getBoolean('suggested') ? suggestedThreshold(context, server) : options.getNumber('value') };
    else if (subcommand === 'passages') change = { passagesPerAnswer: options.getInteger('count') };
    else if (subcommand === 'channel-documents') {
      const channel = options.getChannel('channel', true).id;
      const documents = await knownDocuments(context, server, options.getString('documents'));
      change = { channelDocuments: { ...context.settings.get(server).channelDocuments, [channel]: documents } };
    } else if (subcommand === 'reset') {
      change = { qaChannels: null, answerInThread: null, publicAnswers: null, minScore: null, passagesPerAnswer: null, channelDocuments: null };
    }
    const settings = subcommand === 'show' ? context.settings.get(server) : context.settings.update(server, change);
    const needsIntent = subcommand === 'qa-channel' && options.getBoolean('enabled', true) && !context.config.messageContentIntent;
    const warning = needsIntent ? "\n⚠️ The bot does not receive message content, so it cannot read questions there until MESSAGE_CONTENT_INTENT=true is set (and the intent enabled in the Developer Portal); mentions of the bot still work." : '';
    await interaction.reply({ ...textReply(`${subcommand === 'show' ? '' : '✅ Saved; it applies to the next question.\n'}${formatSettings(context.config, settings)}${warning}`), flags: MessageFlags.Ephemeral });
  },
} satisfies Command;

/** The documents named (comma-separated), each one this server sees, or a folder holding some; [] for none given. */
async function knownDocuments(context: Parameters<Command['execute']>[1], server: string, typed: string | null): Promise<string[]> {
  const names = [...new Set((typed ?? '').split(',').map((name) => name.trim()).filter(Boolean))];
  if (names.length === 0) return [];
  const paths = (await context.knowledge.listDocuments(server)).map((document) => document.path);
  const unknown = names.filter((name) => (name.endsWith('/') ? !paths.some((path) => path.startsWith(name)) : !paths.includes(name)));
  if (unknown.length > 0) {
    throw createError('SETTING_INVALID', `Unknown document${unknown.length > 1 ? 's' : ''}: ${unknown.map((name) => `\`${safeText(name)}\``).join(', ')}. Use the names /sources lists (a folder ends with /). Nothing was changed.`);
  }
  return names;
}

/** The threshold the server's votes support (what /stats shows); refused with the reason when they support none. */
function suggestedThreshold(context: Parameters<Command['execute']>[1], server: string): number {
  const suggestion = context.knowledgeLog.suggestThreshold(server);
  if (suggestion.threshold !== undefined) return suggestion.threshold;
  const why = suggestion.reason === 'too-few-votes'
    ? `only ${suggestion.up} 👍 and ${suggestion.down} 👎 with a recorded confidence so far`
    : 'no threshold would withhold more 👎 answers than 👍 ones';
  throw createError('SETTING_INVALID', `The votes support no threshold yet (${why}). Nothing was changed.`);
}
