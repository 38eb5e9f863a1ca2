import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';

const UPGRADE = Symbol('upgrade to express');

type Upgradable = IncomingMessage & { [UPGRADE]?: () => void };

/**
 * Marks a plain Node request as one that can become express's, later and only if it must: a request
 * served outside express (fast-lane.ts) that ends up rendering a page or reporting an error.
 */
export function allowExpressUpgrade(
  app: Express,
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
): void {
  (req as Upgradable)[UPGRADE] = () => {
    // What express's app.handle does before routing (express 5, lib/application.js), plus the
    // router's `req.next`: express's res.render reports a failed render through it.
    const r = req as Request;
    const s = res as Response;
    r.res = s;
    s.req = r;
    r.next = next;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    s.locals ??= Object.create(null) as Response['locals'];
  };
}

/**
 * The express request and response for these objects: upgraded now if they came through the fast
 * lane, as they are if express already routed them.
 */
export function asExpress(req: IncomingMessage, res: ServerResponse): { req: Request; res: Response } {
  const upgrade = (req as Upgradable)[UPGRADE];
  if (upgrade) {
    delete (req as Upgradable)[UPGRADE];
    upgrade();
  }
  return { req: req as Request, res: res as Response };
}
