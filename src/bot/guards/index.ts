export { accepting } from './accepting.ts';
export { admin } from './admin.ts';
export { firstRefusal, type Guard, type GuardContext, type GuardRequest } from './guard.ts';
export { guildOnly } from './guild-only.ts';
export { rateLimit } from './rate-limit.ts';
