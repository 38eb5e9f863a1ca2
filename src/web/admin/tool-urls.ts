/** The URLs an LMS administrator pastes into the LMS: one place, used by the admin page and the README. */
export function toolUrls(publicUrl: string) {
  return {
    tool: `${publicUrl}/lti/launch`,
    login: `${publicUrl}/lti/login`,
    launch: `${publicUrl}/lti/launch`,
    deepLinking: `${publicUrl}/lti/launch`,
    jwks: `${publicUrl}/.well-known/jwks.json`,
    registration: `${publicUrl}/lti/register`,
  };
}
