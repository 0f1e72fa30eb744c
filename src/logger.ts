/** The few log calls the engine and bot make; a narrow interface so tests can capture them. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * A line-per-event logger to stderr. Every line passes through `redact`, which replaces each secret (the
 * Discord token) wherever it appears, so no code path can leak it by logging an error that quotes it.
 */
export function createLogger(options: {
  level: LogLevel;
  secrets?: readonly string[];
  write?: (line: string) => void;
}): Logger {
  const threshold = LEVELS.indexOf(options.level);
  const redact = createRedactor(options.secrets ?? []);
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (level: Exclude<LogLevel, 'silent'>) => (message: string) => {
    if (LEVELS.indexOf(level) < threshold) return;
    write(redact(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Returns a function that masks every occurrence of each non-empty secret. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const present = secrets.filter((secret) => secret.length >= 8);
  return (text) => present.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** A logger that drops everything (tests, `--json` output). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
