/** OAuth-style errors of the `/oauth/v1/*` endpoints: `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly httpStatus = 400,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const invalidClient = (description = 'The provided client_assertion was invalid.'): OAuthError =>
  new OAuthError('invalid_client', description);
export const unauthorizedRequest = (): OAuthError =>
  new OAuthError('unauthorized_request', 'Unauthorized OIDC request');
export const invalidRequest = (description: string): OAuthError => new OAuthError('invalid_request', description);
/** Duo's own wording, as reported for a reused `duo_code` (duo_universal_php #6). */
export const invalidGrant = (): OAuthError =>
  new OAuthError(
    'invalid_grant',
    'The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection ' +
      'URI used in the authorization request, or was issued to another client.',
  );

/** An authorize request that cannot be trusted to redirect: shown as a page, never sent to its `redirect_uri`. */
export class AuthorizeRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizeRequestError';
  }
}
