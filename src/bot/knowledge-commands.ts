import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { createError } from '../errors.ts';
import type { KnowledgeLog } from '../knowledge/knowledge-log.ts';
import type { BotContext } from './context.ts';

/** The period of `/stats` and `/unanswered`, when the admin gives none. */
export const DEFAULT_REPORT_DAYS = 30;

/** The definition the knowledge reports share: admin-only by default, in servers, with a `days` option. */
export function reportCommandData(name: string, description: string) {
  return new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addIntegerOption((option) => option.setName('days').setDescription(`How far back (default ${DEFAULT_REPORT_DAYS} days)`).setMinValue(1).setMaxValue(365));
}

/**
 * Checks that the knowledge log can be read (else the coded refusal: answers go on without it) and defers the
 * private reply, as reading a large log can take longer than Discord's 3 s.
 */
export async function beginReport(interaction: ChatInputCommandInteraction | ButtonInteraction, context: BotContext): Promise<KnowledgeLog> {
  if (!context.knowledgeLog.available) throw createError('KNOWLEDGE_STORE_UNAVAILABLE');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return context.knowledgeLog;
}
