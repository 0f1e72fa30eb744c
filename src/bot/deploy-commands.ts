import { ApplicationCommandType, REST, Routes, type RESTGetAPIOAuth2CurrentApplicationResult } from 'discord.js';
import { loadConfig } from '../config.ts';
import { createError, describeError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { loadCommands } from './command-loader.ts';

/**
 * `npm run deploy-commands`: registers the slash commands over REST only (no gateway connection). With GUILD_ID
 * they are registered to that server, which is instant (for development); otherwise globally.
 */
async function deploy(): Promise<number> {
  const config = loadConfig();
  const token = config.bot.discordToken;
  const logger = createLogger({ level: config.logLevel, secrets: token ? [token] : [] });
  try {
    if (!token) throw createError('DISCORD_TOKEN_MISSING');
    const rest = new REST(config.bot.discordApiUrl ? { api: config.bot.discordApiUrl } : {}).setToken(token);
    const application = (await rest.get(Routes.currentApplication())) as RESTGetAPIOAuth2CurrentApplicationResult;
    const body = [...(await loadCommands()).values()].map((command) => command.data.toJSON());
    const guildId = config.bot.guildId;
    const route = guildId ? Routes.applicationGuildCommands(application.id, guildId) : Routes.applicationCommands(application.id);
    await rest.put(route, { body });
    logger.info(`Registered ${body.length} commands ${guildId ? `in server ${guildId}` : 'globally (may take up to an hour to appear)'}: ${body.map((c) => (c.type === ApplicationCommandType.Message ? `"${c.name}" (message)` : `/${c.name}`)).join(' ')}`);
    return 0;
  } catch (error) {
    logger.error(`Could not register the commands: ${describeError(error)}`);
    return 1;
  }
}

process.exitCode = await deploy();
