import { errorMessage } from '../../errors.ts';
import { isAdmin } from '../permissions.ts';
import type { Guard } from './guard.ts';

/**
 * Manage Server or one of ADMIN_ROLE_IDS. Re-checked when run although admin commands are hidden by default
 * member permissions, because a server can override those for any role.
 */
export const admin: Guard = {
  name: 'admin',
  check: (request, context) =>
    isAdmin(request.member, context.config.adminRoleIds) ? undefined : errorMessage('NOT_ADMIN'),
};
