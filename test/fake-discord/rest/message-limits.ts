/**
 * The limits Discord enforces on what a bot sends, so a bot that passes against the fake is not rejected by Discord
 * with 400 Invalid Form Body (or 50006 for an empty message). Only well-documented limits are checked.
 *
 * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming
 */
import { apiError, type RestResponse } from './router.ts';

/** One problem in a request body, at a path like `embeds.0.fields.1.value`. */
export interface FormError {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** Components v2 messages (flag 1 << 15) carry no content or embeds, and use other component rules. */
const IS_COMPONENTS_V2 = 1 << 15;

const maxLength = (path: string, value: unknown, max: number): FormError[] =>
  typeof value === 'string' && [...value].length > max ? [{ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }] : [];

const required = (path: string, value: unknown): FormError[] =>
  typeof value !== 'string' || value.length === 0 ? [{ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] : [];

const maxItems = (path: string, value: unknown, max: number): FormError[] =>
  Array.isArray(value) && value.length > max ? [{ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }] : [];

/** Whether a message body (or interaction callback data) has nothing to show. */
export function isEmptyMessage(body: any, fileCount: number): boolean {
  const has = (value: unknown) => Array.isArray(value) && value.length > 0;
  const hasText = typeof body?.content === 'string' && body.content.trim() !== '';
  return !hasText && !has(body?.embeds) && !has(body?.components) && !has(body?.sticker_ids) && !body?.poll && fileCount === 0;
}

/** The problems in a message body: content, embeds and component limits. Fields the body lacks are not checked. */
export function messageErrors(body: any, prefix = ''): FormError[] {
  if (typeof body !== 'object' || body === null) return [];
  const at = (path: string) => `${prefix}${path}`;
  const embeds: any[] = Array.isArray(body.embeds) ? body.embeds : [];
  const errors = [
    ...maxLength(at('content'), body.content, 2000),
    ...maxItems(at('embeds'), body.embeds, 10),
    ...embeds.flatMap((embed, index) => embedErrors(embed, at(`embeds.${index}`))),
  ];
  const embedSize = embeds.reduce((total, embed) => total + embedCharacters(embed), 0);
  if (embedSize > 6000) errors.push({ path: at('embeds'), code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  const isV2 = typeof body.flags === 'number' && (body.flags & IS_COMPONENTS_V2) !== 0;
  if (!isV2 && Array.isArray(body.components)) {
    errors.push(...maxItems(at('components'), body.components, 5), ...body.components.flatMap((row: any, index: number) => rowErrors(row, at(`components.${index}`))));
  }
  return errors;
}

function embedErrors(embed: any, at: string): FormError[] {
  const fields: any[] = Array.isArray(embed?.fields) ? embed.fields : [];
  return [
    ...maxLength(`${at}.title`, embed?.title, 256),
    ...maxLength(`${at}.description`, embed?.description, 4096),
    ...maxLength(`${at}.footer.text`, embed?.footer?.text, 2048),
    ...maxLength(`${at}.author.name`, embed?.author?.name, 256),
    ...maxItems(`${at}.fields`, embed?.fields, 25),
    ...fields.flatMap((field, index) => [
      ...required(`${at}.fields.${index}.name`, field?.name),
      ...maxLength(`${at}.fields.${index}.name`, field?.name, 256),
      ...required(`${at}.fields.${index}.value`, field?.value),
      ...maxLength(`${at}.fields.${index}.value`, field?.value, 1024),
    ]),
  ];
}

function embedCharacters(embed: any): number {
  const length = (value: unknown) => (typeof value === 'string' ? [...value].length : 0);
  const fields: any[] = Array.isArray(embed?.fields) ? embed.fields : [];
  const fieldCharacters = fields.reduce((sum, field) => sum + length(field?.name) + length(field?.value), 0);
  return length(embed?.title) + length(embed?.description) + length(embed?.footer?.text) + length(embed?.author?.name) + fieldCharacters;
}

/** An action row holds at most 5 buttons (or one select menu); custom ids are at most 100 characters. */
function rowErrors(row: any, at: string): FormError[] {
  const children: any[] = Array.isArray(row?.components) ? row.components : [];
  return [
    ...maxItems(`${at}.components`, row?.components, 5),
    ...children.flatMap((component, index) => [
      ...maxLength(`${at}.components.${index}.custom_id`, component?.custom_id, 100),
      ...maxLength(`${at}.components.${index}.label`, component?.label, 80),
    ]),
  ];
}

/** Autocomplete results: at most 25 choices, names of 1 to 100 characters, string values of at most 100. */
export function autocompleteErrors(data: any): FormError[] {
  const choices: any[] = Array.isArray(data?.choices) ? data.choices : [];
  return [
    ...maxItems('data.choices', data?.choices, 25),
    ...choices.flatMap((choice, index) => [
      ...required(`data.choices.${index}.name`, choice?.name),
      ...maxLength(`data.choices.${index}.name`, choice?.name, 100),
      ...maxLength(`data.choices.${index}.value`, choice?.value, 100),
    ]),
  ];
}

/** Discord's 400 Invalid Form Body, with the problems nested by path under `errors` as Discord nests them. */
export function invalidFormBody(errors: readonly FormError[]): RestResponse {
  const tree: Record<string, any> = {};
  for (const error of errors) {
    const node = error.path.split('.').reduce((parent, key) => (parent[key] ??= {}), tree);
    (node._errors ??= []).push({ code: error.code, message: error.message });
  }
  return apiError('invalidFormBody', tree);
}
