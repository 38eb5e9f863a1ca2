import path from 'node:path';
import type { Express } from 'express';
import { engine } from 'express-handlebars';
import { translator, type Locale } from '../i18n';
import { VIEWS_DIR } from '../paths';

/**
 * Handlebars with auto-escaping ({{ }}) everywhere; `t` translates with the page's locale
 * (res.locals.locale), so every page is French or English from the launch.
 */
export function setupViews(app: Express): void {
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      layoutsDir: path.join(VIEWS_DIR, 'layouts'),
      partialsDir: path.join(VIEWS_DIR, 'partials'),
      defaultLayout: 'main',
      helpers: {
        t(
          this: unknown,
          key: string,
          options: { hash?: Record<string, string | number>; data?: { root?: { locale?: Locale } } },
        ) {
          const locale = options?.data?.root?.locale ?? 'fr';
          return translator(locale)(key, options?.hash);
        },
        eq: (a: unknown, b: unknown) => a === b,
        json: (v: unknown) => JSON.stringify(v),
      },
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', path.join(VIEWS_DIR, 'pages'));
}
