import { adminCommand } from '../src/admin/admin-command';
import { consoleIo, readStdin, withServices } from './lib/cli';

void withServices(({ services }) =>
  adminCommand(
    process.argv.slice(2),
    services.admins,
    () => readStdin('Password (12+ characters): '),
    consoleIo,
  ),
);
