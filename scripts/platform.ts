import { platformCommand } from '../src/admin/platform-command';
import { consoleIo, withServices } from './lib/cli';

void withServices(({ services }) => platformCommand(process.argv.slice(2), services.platforms, consoleIo));
