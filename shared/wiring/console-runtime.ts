import type { UserStore } from '../app/ports/users';
import { dynamoUserStore } from '../adapters/user-store';
import type { Runtime } from './current-runtime';

/**
 * The console's stores (users, audit log), built from the process runtime: only the functions
 * that use them (users, console sign-in, the handlers that write audit entries) bundle them.
 */
export const userStore = (rt: Runtime): UserStore => dynamoUserStore(rt.table, rt.tableName);
