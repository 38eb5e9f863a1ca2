import { parseArgs } from 'node:util';
import { describeIssues, newPlatformInput, toNewPlatform } from './platform-input';
import {
  DuplicatePlatformError,
  type PlatformRecord,
  type PlatformRepository,
} from '../db/repositories/platforms';

export const PLATFORM_USAGE = `Usage: npm run platform -- <command>

  add --name <name> --issuer <url> --client-id <id> --deployment <id> [--deployment <id>…]
      --auth-endpoint <url> --jwks-uri <url> [--token-endpoint <url>] [--authorization-server <url>] [--pending]
  add --moodle <site url> --client-id <id> --deployment <id> [--name <name>] [--pending]
      (Moodle: fills the issuer and the three endpoints from the site URL)
  list [--json]
  activate <platform id>      disable <platform id>      remove <platform id>
  deployment add <platform id> <deployment id>
  deployment remove <platform id> <deployment id>`;

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

/** `npm run platform`: the platform registry from the command line. Returns the exit code. */
export async function platformCommand(
  argv: string[],
  platforms: PlatformRepository,
  io: CommandIo,
): Promise<number> {
  const [command, ...rest] = argv;
  const fail = (msg: string) => {
    io.err(msg);
    return 2;
  };
  const find = async (id: string | undefined): Promise<PlatformRecord | undefined> => {
    if (!id) return undefined;
    return platforms.findById(id);
  };

  switch (command) {
    case 'add': {
      let values;
      try {
        values = parseArgs({
          args: rest,
          options: {
            name: { type: 'string' },
            issuer: { type: 'string' },
            'client-id': { type: 'string' },
            deployment: { type: 'string', multiple: true },
            'auth-endpoint': { type: 'string' },
            'token-endpoint': { type: 'string' },
            'jwks-uri': { type: 'string' },
            'authorization-server': { type: 'string' },
            moodle: { type: 'string' },
            pending: { type: 'boolean', default: false },
          },
        }).values;
      } catch (e) {
        return fail(`${(e as Error).message}\n\n${PLATFORM_USAGE}`);
      }
      const site = values.moodle?.replace(/\/+$/, '');
      if (site !== undefined && !URL.canParse(site)) {
        return fail(
          `Cannot add the platform:\n  --moodle: the Moodle site's address, with its scheme, e.g. https://moodle.example.org (got "${site}")\n\n${PLATFORM_USAGE}`,
        );
      }
      const parsed = newPlatformInput.safeParse({
        name: values.name ?? (site ? `Moodle ${new URL(site).host}` : undefined),
        issuer: values.issuer ?? site,
        clientId: values['client-id'],
        deploymentIds: values.deployment ?? [],
        authEndpoint: values['auth-endpoint'] ?? (site && `${site}/mod/lti/auth.php`),
        tokenEndpoint: values['token-endpoint'] ?? (site && `${site}/mod/lti/token.php`),
        jwksUri: values['jwks-uri'] ?? (site && `${site}/mod/lti/certs.php`),
        authorizationServer: values['authorization-server'],
        active: !values.pending,
      });
      if (!parsed.success) {
        const lines = describeIssues(parsed.error).map((i) => `  --${kebab(i.field)}: ${i.message}`);
        return fail(`Cannot add the platform:\n${lines.join('\n')}\n\n${PLATFORM_USAGE}`);
      }
      try {
        const saved = await platforms.add(toNewPlatform(parsed.data));
        io.out(`Added ${saved.name} (${saved.status}), id ${saved.id}`);
        return 0;
      } catch (e) {
        if (e instanceof DuplicatePlatformError)
          return fail(`${e.message}; remove it first or add a deployment to it.`);
        throw e;
      }
    }
    case 'list': {
      const all = await platforms.list();
      if (rest.includes('--json')) {
        io.out(JSON.stringify(all, null, 2));
        return 0;
      }
      if (all.length === 0) io.out('No platform registered.');
      for (const p of all) {
        io.out(
          `${p.id}  ${p.status.padEnd(8)}  ${p.name}\n    issuer ${p.issuer}  client ${p.clientId}  deployments ${p.deploymentIds.join(', ') || '(none)'}`,
        );
      }
      return 0;
    }
    case 'activate':
    case 'disable':
    case 'remove': {
      const p = await find(rest[0]);
      if (!p) return fail(`No platform with id ${rest[0] ?? '(missing)'}: see npm run platform -- list`);
      if (command === 'remove') await platforms.remove(p.id);
      else await platforms.setStatus(p.id, command === 'activate' ? 'active' : 'disabled');
      io.out(
        `${p.name}: ${command === 'remove' ? 'removed' : command === 'activate' ? 'active' : 'disabled'}`,
      );
      return 0;
    }
    case 'deployment': {
      const [action, id, deploymentId] = rest;
      const p = await find(id);
      if (!p) return fail(`No platform with id ${id ?? '(missing)'}: see npm run platform -- list`);
      if (!deploymentId || (action !== 'add' && action !== 'remove')) return fail(PLATFORM_USAGE);
      if (action === 'add') await platforms.addDeployment(p.id, deploymentId);
      else if (!(await platforms.removeDeployment(p.id, deploymentId)))
        return fail(`${p.name} has no deployment ${deploymentId}`);
      io.out(`${p.name}: deployment ${deploymentId} ${action === 'add' ? 'added' : 'removed'}`);
      return 0;
    }
    default:
      return fail(command ? `Unknown command ${command}.\n\n${PLATFORM_USAGE}` : PLATFORM_USAGE);
  }
}

const kebab = (s: string) =>
  s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace('deployment-ids', 'deployment');
