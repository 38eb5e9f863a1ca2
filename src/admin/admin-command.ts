import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';
import { DuplicateAdminError, type AdminRepository } from '../db/repositories/admins';
import type { CommandIo } from './platform-command';

export const ADMIN_USAGE = `Usage: npm run admin -- <command>

  create <username>     creates an administrator; the password is read from standard input
  password <username>   sets a new password, read from standard input
  list

  e.g.  npm run admin -- create alice          (type the password, then Enter)
        printf '%s' "$PASSWORD" | npm run admin -- create alice`;

const USERNAME = /^[A-Za-z0-9._@-]{2,64}$/;

/** `npm run admin`: tool administrators. The password comes from stdin so it never lands in shell history. */
export async function adminCommand(
  argv: string[],
  admins: AdminRepository,
  readPassword: () => Promise<string>,
  io: CommandIo,
): Promise<number> {
  const [command, username] = argv;
  const fail = (msg: string) => {
    io.err(msg);
    return 2;
  };
  if (command === 'list') {
    const all = await admins.list();
    if (all.length === 0) io.out('No administrator yet.');
    for (const a of all) io.out(`${a.username}  (created ${new Date(a.createdAt).toISOString()})`);
    return 0;
  }
  if (command !== 'create' && command !== 'password') return fail(ADMIN_USAGE);
  if (!username || !USERNAME.test(username))
    return fail(`The username must be 2 to 64 letters, digits, or . _ @ -\n\n${ADMIN_USAGE}`);
  if (command === 'password' && !(await admins.findByUsername(username)))
    return fail(`No administrator named ${username}.`);
  const password = (await readPassword()).replace(/\r?\n$/, '');
  if (password.length < MIN_PASSWORD_LENGTH)
    return fail(`The password must have at least ${MIN_PASSWORD_LENGTH} characters; nothing was saved.`);
  const hash = await hashPassword(password);
  if (command === 'password') {
    await admins.setPassword(username, hash);
    io.out(`Password of ${username} changed.`);
    return 0;
  }
  try {
    await admins.create(username, hash);
  } catch (e) {
    if (e instanceof DuplicateAdminError)
      return fail(`${e.message}; use: npm run admin -- password ${username}`);
    throw e;
  }
  io.out(`Administrator ${username} created. Sign in at <PUBLIC_URL>/admin.`);
  return 0;
}
