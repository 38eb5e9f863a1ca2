import {
  classifyRoles,
  frameAncestorOrigins,
  issuerConsistent,
  pickLocale,
  principalRole,
} from '../../../lti';

describe('roles', () => {
  test.each([
    ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor', 'Instructor'],
    ['Instructor', 'Instructor'],
    ['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant', 'TeachingAssistant'],
    ['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator', 'Administrator'],
    ['http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator', 'Administrator'],
    ['urn:lti:role:ims/lis/Learner', null],
  ])('principalRole(%s) = %s', (role, name) => {
    expect(principalRole(role)).toBe(name);
  });

  test.each([
    [['http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper'], 'staff'],
    [['TeachingAssistant'], 'staff'],
    [['Learner', 'Instructor'], 'staff'],
    [['http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor'], 'mentor'],
    [['Learner'], 'learner'],
    [['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty'], 'learner'],
    [[], 'learner'],
    // Administrators count at every level; an institution's Instructor or Mentor is not one of this course.
    [['http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator'], 'staff'],
    [['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator', 'Learner'], 'staff'],
    [
      [
        'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
        'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor',
      ],
      'learner',
    ],
    [['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Mentor'], 'learner'],
    [['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'], 'staff'],
  ] as const)('classifyRoles(%p) = %s', (roles, view) => {
    expect(classifyRoles(roles)).toBe(view);
  });
});

describe('locale', () => {
  test.each([
    [['fr-CA'], 'fr'],
    [['en'], 'en'],
    [['EN-us'], 'en'],
    [['de-DE', 'en'], 'fr'],
    [[undefined, 'en_GB'], 'en'],
    [[undefined, undefined], 'fr'],
  ] as const)('pickLocale(%p) = %s', (candidates, locale) => {
    expect(pickLocale(candidates)).toBe(locale);
  });

  test('a tool whose default language is English falls back to English, and only then', () => {
    expect(pickLocale(['de-DE'], 'en')).toBe('en');
    expect(pickLocale([undefined, undefined], 'en')).toBe('en');
    expect(pickLocale(['fr-CA'], 'en')).toBe('fr');
  });
});

describe('issuerConsistent', () => {
  test.each([
    ['https://moodle.example', 'https://moodle.example/mod/lti/openid-configuration.php', true],
    ['https://lms.example/school-a', 'https://lms.example/school-a/.well-known/openid-configuration', true],
    [
      'https://canvas.instructure.com',
      'https://sso.canvaslms.com/api/lti/security/openid-configuration',
      true,
    ],
    [
      'https://canvas.instructure.com',
      'https://lycee-x.instructure.com/api/lti/security/openid-configuration',
      true,
    ],
    ['https://canvas.instructure.com', 'https://lycee-x.instructure.com.evil.example/conf', false],
    ['https://canvas.instructure.com', 'http://lycee-x.instructure.com/conf', false],
    ['https://canvas.test.instructure.com', 'https://lycee-x.instructure.com/conf', false],
    ['https://moodle.example', 'https://moodle.example.evil.example/conf', false],
    ['https://moodle.example/a', 'https://other.example/a/conf', false],
    ['not a url', 'https://moodle.example/conf', false],
  ])('%s for %s → %s', (issuer, url, ok) => {
    expect(issuerConsistent(issuer, new URL(url))).toBe(ok);
  });
});

describe('frameAncestorOrigins', () => {
  test('auth endpoint origins once each, a hosted family for Canvas cloud issuers, malformed rows skipped', () => {
    expect(
      frameAncestorOrigins([
        { issuer: 'https://moodle.example', authEndpoint: 'https://moodle.example/mod/lti/auth.php' },
        { issuer: 'https://moodle.example', authEndpoint: 'https://moodle.example/mod/lti/auth.php?x=1' },
        {
          issuer: 'https://canvas.instructure.com/',
          authEndpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
        },
        {
          issuer: 'https://canvas.beta.instructure.com',
          authEndpoint: 'https://sso.beta.canvaslms.com/auth',
        },
        { issuer: 'https://legacy.example', authEndpoint: 'not a url' },
      ]),
    ).toEqual([
      'https://moodle.example',
      'https://*.instructure.com',
      'https://sso.canvaslms.com',
      'https://*.beta.instructure.com',
      'https://sso.beta.canvaslms.com',
    ]);
  });
});
