import { PermissionFlagsBits, type GuildMember, type Interaction, type APIInteractionGuildMember } from 'discord.js';

/**
 * Whether the member running an interaction may use admin commands: Manage Server, or one of ADMIN_ROLE_IDS.
 * Checked at run time because a server can override the commands' default permissions for any role.
 */
export function isAdmin(interaction: Pick<Interaction, 'memberPermissions' | 'member'>, adminRoleIds: readonly string[]): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  return memberRoleIds(interaction.member).some((role) => adminRoleIds.includes(role));
}

function memberRoleIds(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  const roles = member.roles;
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}
