import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../errors';

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * The form bodies of login and launch (a few hints, or an id_token and a state), read in one pass:
 * the general parser (content negotiation, charset conversion, inflation, its own query-string
 * parser) cost about as much per launch as the rest of the form handling on a loaded two-core box.
 * Same result shape as express.urlencoded({ extended: false }): a string per field, an array for a
 * repeated one, and `{}` for a body of another type. Refuses what a platform never sends: bodies
 * over `limitBytes` or `maxFields` (413), compressed bodies or a charset other than UTF-8 (415).
 */
export type FormReader = (
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** Express middleware, or called directly by the fast lane (plain Node objects either way). */
export function ltiForm(opts: { limitBytes?: number; maxFields?: number } = {}): FormReader {
  const limit = opts.limitBytes ?? 64 * 1024;
  const maxFields = opts.maxFields ?? 100;
  return (req, _res, next) => {
    const type = req.headers['content-type'];
    if (!type || !FORM_TYPE.test(type)) {
      req.body ??= {};
      next();
      return;
    }
    const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    const declared = Number(req.headers['content-length'] ?? 0);
    let refusal: HttpError | undefined;
    if (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
      refusal = new HttpError(415, 'unsupported_charset', `unsupported charset ${charset}`);
    } else if (encoding !== 'identity') {
      refusal = new HttpError(415, 'unsupported_encoding', `unsupported content encoding ${encoding}`);
    } else if (declared > limit) {
      refusal = new HttpError(413, 'payload_too_large', 'form too large');
    }
    if (refusal) {
      req.resume();
      next(refusal);
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: HttpError) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      if (err) {
        req.resume();
        next(err);
        return;
      }
      const fields = new Map<string, string | string[]>();
      let count = 0;
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks, size).toString('utf8'))) {
        if (++count > maxFields) return next(new HttpError(413, 'payload_too_large', 'too many fields'));
        const seen = fields.get(k);
        fields.set(k, seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v]);
      }
      // fromEntries defines own properties: a field named __proto__ stays a field.
      req.body = Object.fromEntries(fields);
      next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(new HttpError(413, 'payload_too_large', 'form too large'));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = () => finish(new HttpError(400, 'bad_request', 'request body unreadable'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  };
}
