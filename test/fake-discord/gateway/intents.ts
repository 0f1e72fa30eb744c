import { GatewayIntentBits, type APIMessage } from 'discord.js';

/**
 * MESSAGE_CREATE as a session with these intents receives it: not at all without Guild Messages (for a guild
 * message), and without the privileged Message Content intent with empty content, embeds, attachments and
 * components, unless the message mentions the bot or is the bot's own.
 *
 * @see https://discord.com/developers/docs/events/gateway#message-content-intent
 */
export function messageForIntents(message: APIMessage & { readonly guild_id?: string }, intents: number, botUserId: string): APIMessage | undefined {
  if (message.guild_id && (intents & GatewayIntentBits.GuildMessages) === 0) return undefined;
  const readable = (intents & GatewayIntentBits.MessageContent) !== 0 || message.author.id === botUserId || message.mentions.some((user) => user.id === botUserId);
  return readable ? message : { ...message, content: '', embeds: [], attachments: [], components: [] };
}

/**
 * A message as REST returns it to the app (`GET /channels/{id}/messages`): without the Message Content intent
 * enabled for the app, content, embeds, attachments and components are empty here too, with the same exceptions.
 */
export function messageForApp(message: APIMessage, contentIntentEnabled: boolean, botUserId: string): APIMessage {
  return messageForIntents(message, contentIntentEnabled ? GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent : GatewayIntentBits.GuildMessages, botUserId)!;
}

/** Thread events need the Guilds intent. */
export function hasGuildsIntent(intents: number): boolean {
  return (intents & GatewayIntentBits.Guilds) !== 0;
}
