import { LTI_ERROR_CODES, LTI_ERRORS, LtiError } from '../../../lti';

describe('LtiError', () => {
  test('every code is snake_case with an http status and an audience', () => {
    for (const code of LTI_ERROR_CODES) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect([400, 401, 403, 502]).toContain(LTI_ERRORS[code].status);
      expect(['user', 'admin']).toContain(LTI_ERRORS[code].audience);
    }
  });
  test('carries code, status, audience and safe details', () => {
    const e = new LtiError('deployment_unknown', '42', { deploymentId: '42' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: 'deployment_unknown', status: 403, audience: 'admin' });
    expect(e.details).toEqual({ deploymentId: '42' });
    expect(e.message).toContain('42');
  });
});
