import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs; tokens, answers and solutions are never logged (see the redact list). Standard
 * output unless a destination is given (benchmarks log to /dev/null at the production level).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
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
  };
  return destination ? pino(options, destination) : pino(options);
}
