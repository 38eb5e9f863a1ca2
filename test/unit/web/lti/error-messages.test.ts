import { LTI_ERROR_CODES } from '../../../../lti';
import { translator } from '../../../../src/i18n';

// Every refusal the library can make gets a page in the user's language: no code may fall back to
// its key or to the other language.
describe('LTI refusal messages', () => {
  test.each(['fr', 'en'] as const)('every LTI error code has its own %s message', (locale) => {
    const t = translator(locale);
    const missing = LTI_ERROR_CODES.filter((code) => t(`lti.error.${code}`) === `lti.error.${code}`);
    expect(missing).toEqual([]);
  });
});
