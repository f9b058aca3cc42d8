package dev.patguard.fakebrms;

/** The endpoints the fake serves; faults are injected and requests counted per endpoint. */
public enum Endpoint {
  /** {@code GET /api/personal-access-tokens}: the authenticated user's tokens. */
  SELF_LIST("GET", "/api/personal-access-tokens"),
  /** {@code DELETE /api/personal-access-tokens/{patId}}: delete one of the user's own tokens. */
  SELF_DELETE("DELETE", "/api/personal-access-tokens/{patId}"),
  /**
   * {@code GET /api/users/service/{userId}/personal-access-tokens}: a service user's tokens
   * (admin).
   */
  SERVICE_LIST("GET", "/api/users/service/{userId}/personal-access-tokens"),
  /** {@code POST /api/users/service/{userId}/personal-access-tokens}: create a token (admin). */
  SERVICE_CREATE("POST", "/api/users/service/{userId}/personal-access-tokens"),
  /** {@code GET /api/users/service/{userId}/personal-access-tokens/{patId}}: one token (admin). */
  SERVICE_GET("GET", "/api/users/service/{userId}/personal-access-tokens/{patId}"),
  /** {@code POST .../{patId}/regenerate}: a new secret for a service user's token (admin). */
  SERVICE_REGENERATE(
      "POST", "/api/users/service/{userId}/personal-access-tokens/{patId}/regenerate"),
  /** {@code GET /api/projects/{projectId}/releases}: an empty page of releases. */
  RELEASES_LIST("GET", "/api/projects/{projectId}/releases"),
  /** {@code POST /api/projects/{projectId}/releases/deploy}: record a deployment. */
  DEPLOY("POST", "/api/projects/{projectId}/releases/deploy"),
  /** Any other method or path; answered with 404. */
  OTHER("*", "*");

  private final String method;
  private final String pathTemplate;

  Endpoint(String method, String pathTemplate) {
    this.method = method;
    this.pathTemplate = pathTemplate;
  }

  /**
   * Returns the HTTP method, or {@code *} for {@link #OTHER}.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * Returns the path template, or {@code *} for {@link #OTHER}.
   *
   * @return the path template with {@code {variables}}
   */
  public String pathTemplate() {
    return pathTemplate;
  }
}
