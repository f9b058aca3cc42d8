package dev.patguard.fakebrms;

import static dev.patguard.fakebrms.Http.delete;
import static dev.patguard.fakebrms.Http.get;
import static dev.patguard.fakebrms.Http.json;
import static dev.patguard.fakebrms.Http.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FakeBrmsEndpointsTest {

  private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private FakeBrms brms;
  private FakeUser admin;
  private String adminSecret;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    adminSecret = brms.mint(t -> t.owner(admin).neverExpires()).secret();
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void selfListWhenValidTokenThenReturnsOwnTokensInSeedShape() {
    FakeProject web = brms.createProject("web-shop", "Web shop");
    FakeUser svc = brms.createUser(u -> u.email("deployer@acme.test").serviceAccount());
    MintedToken t =
        brms.mint(
            s ->
                s.owner(svc)
                    .note("ci deploy")
                    .permissions("releases:deploy", "weird:thing")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30)));
    MintedToken expired = brms.mint(s -> s.owner(svc).expiresAt(START.minusSeconds(60)));
    brms.mint(s -> s.note("someone else's"));

    HttpResponse<String> response = get(brms, "/api/personal-access-tokens", t.secret());

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    JsonNode body = json(response);
    assertTrue(body.isArray());
    assertEquals(2, body.size(), "own tokens only, the expired one included");
    assertEquals(expired.id().toString(), body.get(1).get("id").asText());
    JsonNode pat = body.get(0);
    assertEquals(
        List.of(
            "id",
            "note",
            "permissions",
            "allProjects",
            "projects",
            "user",
            "createdAt",
            "updatedAt",
            "expiresAt"),
        fieldNames(pat));
    assertEquals(t.id().toString(), pat.get("id").asText());
    assertEquals("ci deploy", pat.get("note").asText());
    assertEquals("[\"releases:deploy\",\"weird:thing\"]", pat.get("permissions").toString());
    assertFalse(pat.get("allProjects").asBoolean());
    JsonNode project = pat.get("projects").get(0);
    assertEquals(
        List.of(
            "id",
            "name",
            "organisationId",
            "version",
            "createdAt",
            "updatedAt",
            "key",
            "protected"),
        fieldNames(project));
    assertEquals(web.id().toString(), project.get("id").asText());
    assertEquals("web-shop", project.get("key").asText());
    assertEquals("Web shop", project.get("name").asText());
    assertEquals(brms.organisationId().toString(), project.get("organisationId").asText());
    assertFalse(project.get("protected").asBoolean());
    JsonNode user = pat.get("user");
    assertEquals(
        List.of(
            "id",
            "email",
            "type",
            "status",
            "createdAt",
            "updatedAt",
            "firstName",
            "lastName",
            "isService"),
        fieldNames(user));
    assertEquals(svc.id().toString(), user.get("id").asText());
    assertEquals("deployer@acme.test", user.get("email").asText());
    assertEquals("service account", user.get("type").asText());
    assertEquals("active", user.get("status").asText());
    assertTrue(user.get("isService").asBoolean());
    assertEquals("2026-11-29T12:00:00.000Z", pat.get("createdAt").asText());
    assertEquals("2026-11-29T12:00:00.000Z", pat.get("updatedAt").asText());
    assertEquals("2026-12-29T12:00:00.000Z", pat.get("expiresAt").asText());
    assertFalse(response.body().contains(t.secret()), "the secret is never served on a list");
  }

  @Test
  void selfListWhenTokenNeverExpiresThenExpiresAtIsNull() {
    MintedToken t = brms.mint(s -> s.neverExpires());

    JsonNode pat = json(get(brms, "/api/personal-access-tokens", t.secret())).get(0);

    assertTrue(pat.has("expiresAt"));
    assertTrue(pat.get("expiresAt").isNull());
  }

  @Test
  void selfListWhenCanReadOwnTokensFalseThenForbidden() {
    MintedToken t = brms.mint(s -> s.canReadOwnTokens(false));

    HttpResponse<String> response = get(brms, "/api/personal-access-tokens", t.secret());

    assertEquals(403, response.statusCode());
    assertEquals("{\"message\":\"Forbidden\"}", response.body());
  }

  @Test
  void authWhenNoOrUnknownOrMalformedCredentialThenUnauthorized() {
    brms.mint(s -> s.secret("known-secret"));
    for (String header :
        new String[] {null, "Bearer nope", "Basic known-secret", "Bearer ", "known-secret"}) {
      var request = Http.request(brms, "/api/personal-access-tokens", null);
      if (header != null) {
        request.header("Authorization", header);
      }
      HttpResponse<String> response = Http.send(request.GET().build());
      assertEquals(401, response.statusCode(), "header " + header);
      assertEquals("{\"message\":\"Unauthorized\"}", response.body());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    }
  }

  @Test
  void authWhenSchemeInAnyCaseThenAccepted() {
    brms.mint(s -> s.secret("known-secret"));

    var request =
        Http.request(brms, "/api/personal-access-tokens", null)
            .header("Authorization", "bEaReR known-secret");

    assertEquals(200, Http.send(request.GET().build()).statusCode());
  }

  @Test
  void authWhenRevokedThenUnauthorizedAndGoneFromLists() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken keep = brms.mint(s -> s.owner(svc));
    MintedToken gone = brms.mint(s -> s.owner(svc));
    assertEquals(200, get(brms, "/api/personal-access-tokens", gone.secret()).statusCode());

    brms.revoke(gone.id());

    assertEquals(401, get(brms, "/api/personal-access-tokens", gone.secret()).statusCode());
    JsonNode list = json(get(brms, "/api/personal-access-tokens", keep.secret()));
    assertEquals(1, list.size());
    assertTrue(brms.token(gone.id()).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> brms.revoke(gone.id()));
  }

  @Test
  void authWhenClockReachesExpiresAtThenUnauthorized() {
    MintedToken t = brms.mint(s -> s.expiresIn(Duration.ofHours(1)));

    clock.set(START.plus(Duration.ofHours(1)).minusMillis(1));
    assertEquals(200, get(brms, "/api/personal-access-tokens", t.secret()).statusCode());
    clock.set(START.plus(Duration.ofHours(1)));
    assertEquals(
        401,
        get(brms, "/api/personal-access-tokens", t.secret()).statusCode(),
        "expiry is exclusive");
  }

  @Test
  void expireWhenCalledThenExpiresAtIsOneSecondAgoAndSecretRejected() {
    MintedToken t = brms.mint(s -> s.neverExpires());

    brms.expire(t.id());

    assertEquals(START.minusSeconds(1), brms.token(t.id()).orElseThrow().expiresAt());
    assertEquals(401, get(brms, "/api/personal-access-tokens", t.secret()).statusCode());
  }

  @Test
  void authWhenOwnerInactiveThenStillAuthenticatedAndStatusServed() {
    MintedToken t = brms.mint();

    brms.setOwnerStatus(t.userId(), "inactive");

    HttpResponse<String> response = get(brms, "/api/personal-access-tokens", t.secret());
    assertEquals(200, response.statusCode());
    assertEquals("inactive", json(response).get(0).get("user").get("status").asText());
  }

  @Test
  void selfDeleteWhenOwnTokenThenReturnsItAndRemovesIt() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken caller = brms.mint(s -> s.owner(svc));
    MintedToken other = brms.mint(s -> s.owner(svc).note("old"));

    HttpResponse<String> response =
        delete(brms, "/api/personal-access-tokens/" + other.id(), caller.secret());

    assertEquals(200, response.statusCode());
    assertEquals("old", json(response).get("note").asText());
    assertTrue(brms.token(other.id()).isEmpty());
    assertEquals(401, get(brms, "/api/personal-access-tokens", other.secret()).statusCode());
  }

  @Test
  void selfDeleteWhenAnotherUsersTokenOrNotUuidThenNotFound() {
    MintedToken caller = brms.mint();
    MintedToken stranger = brms.mint();

    assertEquals(
        404,
        delete(brms, "/api/personal-access-tokens/" + stranger.id(), caller.secret()).statusCode());
    assertEquals(
        404, delete(brms, "/api/personal-access-tokens/not-a-uuid", caller.secret()).statusCode());
    assertTrue(brms.token(stranger.id()).isPresent());
  }

  @Test
  void serviceGetWhenAdminThenReturnsThePat() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken t = brms.mint(s -> s.owner(svc).permissions("owner").allProjects(true));

    HttpResponse<String> response =
        get(
            brms,
            "/api/users/service/" + svc.id() + "/personal-access-tokens/" + t.id(),
            adminSecret);

    assertEquals(200, response.statusCode());
    JsonNode pat = json(response);
    assertEquals(t.id().toString(), pat.get("id").asText());
    assertTrue(pat.get("allProjects").asBoolean());
    assertFalse(pat.has("token"));
  }

  @Test
  void serviceListWhenAdminThenListsTheServiceUsersTokens() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    brms.mint(s -> s.owner(svc));
    brms.mint(s -> s.owner(svc));

    HttpResponse<String> response =
        get(brms, "/api/users/service/" + svc.id() + "/personal-access-tokens", adminSecret);

    assertEquals(200, response.statusCode());
    assertEquals(2, json(response).size());
  }

  @Test
  void serviceEndpointsWhenCallerNotAdminThenForbidden() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken t = brms.mint(s -> s.owner(svc).permissions("owner").allProjects(true));
    String base = "/api/users/service/" + svc.id() + "/personal-access-tokens";

    assertEquals(403, get(brms, base, t.secret()).statusCode());
    assertEquals(403, get(brms, base + "/" + t.id(), t.secret()).statusCode());
    assertEquals(403, post(brms, base, t.secret(), "{}").statusCode());
    assertEquals(
        403, post(brms, base + "/" + t.id() + "/regenerate", t.secret(), "{}").statusCode());
  }

  @Test
  void serviceGetWhenUserOrTokenUnknownOrNotUuidOrNotServiceThenNotFound() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken t = brms.mint(s -> s.owner(svc));
    MintedToken other = brms.mint();
    MintedToken member = brms.mint(s -> s.owner(brms.createUser(u -> u.email("m@acme.test"))));

    String user = "/api/users/service/" + svc.id() + "/personal-access-tokens/";
    assertEquals(404, get(brms, user + UUID.randomUUID(), adminSecret).statusCode());
    assertEquals(
        404, get(brms, user + other.id(), adminSecret).statusCode(), "token of another user");
    assertEquals(404, get(brms, user + "nope", adminSecret).statusCode());
    assertEquals(
        404,
        get(
                brms,
                "/api/users/service/" + UUID.randomUUID() + "/personal-access-tokens/" + t.id(),
                adminSecret)
            .statusCode());
    assertEquals(
        404, get(brms, "/api/users/service/xyz/personal-access-tokens", adminSecret).statusCode());
    assertEquals(
        404,
        get(
                brms,
                "/api/users/service/" + member.userId() + "/personal-access-tokens/" + member.id(),
                adminSecret)
            .statusCode(),
        "not a service user");
  }

  @Test
  void serviceCreateWhenBodyValidThenCreatedWithWorkingSecret() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    FakeProject web = brms.createProject("web-shop", "Web shop");
    String body =
        "{\"note\":\"ci\",\"allProjects\":false,\"expiry\":\"month\",\"projects\":[\""
            + web.id()
            + "\"],\"permissions\":[\"releases:deploy\"]}";

    HttpResponse<String> response =
        post(brms, "/api/users/service/" + svc.id() + "/personal-access-tokens", adminSecret, body);

    assertEquals(201, response.statusCode());
    JsonNode pat = json(response);
    String secret = pat.get("token").asText();
    assertEquals(40, secret.length());
    assertEquals("2026-12-29T12:00:00.000Z", pat.get("expiresAt").asText());
    assertEquals("web-shop", pat.get("projects").get(0).get("key").asText());
    UUID id = UUID.fromString(pat.get("id").asText());
    assertEquals(List.of("releases:deploy"), brms.token(id).orElseThrow().permissions());
    assertEquals(200, get(brms, "/api/projects/web-shop/releases", secret).statusCode());
  }

  @Test
  void serviceCreateWhenExpiryIndefiniteThenExpiresAtNull() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());

    JsonNode pat =
        json(
            post(
                brms,
                "/api/users/service/" + svc.id() + "/personal-access-tokens",
                adminSecret,
                "{\"note\":\"x\",\"expiry\":\"indefinite\",\"permissions\":[]}"));

    assertTrue(pat.get("expiresAt").isNull());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "not json",
        "{\"expiry\":\"week\"}",
        "{\"note\":\"\",\"expiry\":\"week\"}",
        "{\"note\":\"x\"}",
        "{\"note\":\"x\",\"expiry\":\"decade\"}",
        "{\"note\":\"x\",\"expiry\":\"WEEK\"}",
        "{\"note\":\"x\",\"expiry\":\"week\",\"allProjects\":\"yes\"}",
        "{\"note\":\"x\",\"expiry\":\"week\",\"projects\":[\"9b2e4c4e-1111-4b50-8888-8dd25736052a\"]}",
        "{\"note\":\"x\",\"expiry\":\"week\",\"projects\":[\"web-shop\"]}",
        "{\"note\":\"x\",\"expiry\":\"week\",\"permissions\":[1]}",
        "{\"note\":\"x\",\"expiry\":\"week\",\"permissions\":\"owner\"}"
      })
  void serviceCreateWhenBodyInvalidThenBadRequestWithMessage(String body) {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    brms.createProject("web-shop", "Web shop");

    HttpResponse<String> response =
        post(brms, "/api/users/service/" + svc.id() + "/personal-access-tokens", adminSecret, body);

    assertEquals(400, response.statusCode(), body);
    assertFalse(json(response).get("message").asText().isBlank());
    assertTrue(brms.tokensOf(svc.id()).isEmpty());
  }

  @Test
  void serviceCreateWhenNoteHas101CharactersThenBadRequest() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    String path = "/api/users/service/" + svc.id() + "/personal-access-tokens";

    assertEquals(
        400,
        post(brms, path, adminSecret, "{\"note\":\"" + "n".repeat(101) + "\",\"expiry\":\"week\"}")
            .statusCode());
    assertEquals(
        201,
        post(brms, path, adminSecret, "{\"note\":\"" + "n".repeat(100) + "\",\"expiry\":\"week\"}")
            .statusCode());
  }

  @Test
  void serviceRegenerateWhenValidThenNewSecretAndOldOneRejected() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken t = brms.mint(s -> s.owner(svc).note("rotating"));
    clock.advance(Duration.ofDays(1));

    HttpResponse<String> response =
        post(
            brms,
            "/api/users/service/" + svc.id() + "/personal-access-tokens/" + t.id() + "/regenerate",
            adminSecret,
            "{\"expiry\":\"week\"}");

    assertEquals(200, response.statusCode());
    JsonNode pat = json(response);
    String secret = pat.get("token").asText();
    assertNotEquals(t.secret(), secret);
    assertEquals(t.id().toString(), pat.get("id").asText());
    assertEquals("rotating", pat.get("note").asText());
    assertEquals("2026-12-07T12:00:00.000Z", pat.get("expiresAt").asText());
    assertEquals("2026-11-30T12:00:00.000Z", pat.get("updatedAt").asText());
    assertEquals(401, get(brms, "/api/personal-access-tokens", t.secret()).statusCode());
    assertEquals(200, get(brms, "/api/personal-access-tokens", secret).statusCode());
  }

  @Test
  void serviceRegenerateWhenExpiryMissingThenBadRequestAndSecretUnchanged() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken t = brms.mint(s -> s.owner(svc));

    assertEquals(
        400,
        post(
                brms,
                "/api/users/service/"
                    + svc.id()
                    + "/personal-access-tokens/"
                    + t.id()
                    + "/regenerate",
                adminSecret,
                "{}")
            .statusCode());
    assertEquals(200, get(brms, "/api/personal-access-tokens", t.secret()).statusCode());
  }

  @Test
  void releasesListWhenPermittedAndInScopeThenEmptyPageByKeyOrId() {
    FakeProject web = brms.createProject("web-shop", "Web shop");
    MintedToken t = brms.mint(s -> s.permissions("releases").projects("web-shop"));

    HttpResponse<String> byKey = get(brms, "/api/projects/web-shop/releases", t.secret());
    HttpResponse<String> byId = get(brms, "/api/projects/" + web.id() + "/releases", t.secret());

    assertEquals(200, byKey.statusCode());
    assertEquals(
        "{\"results\":[],\"paginate\":{\"current\":1,\"from\":0,\"to\":0,\"total\":0,\"pageSize\":20}}",
        byKey.body());
    assertEquals(200, byId.statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"releases", "releases:manage", "releases:deploy", "owner"})
  void releasesListWhenAnyReleasePermissionThenOk(String permission) {
    MintedToken t = brms.mint(s -> s.permissions(permission).projects("web-shop"));

    assertEquals(200, get(brms, "/api/projects/web-shop/releases", t.secret()).statusCode());
  }

  @Test
  void releasesListWhenOutOfScopeOrPermissionMissingThenForbidden() {
    brms.createProject("other", "Other");
    MintedToken scoped = brms.mint(s -> s.permissions("releases").projects("web-shop"));
    MintedToken noPermission =
        brms.mint(s -> s.permissions("documents", "releases:deploy-admin").allProjects(true));

    assertEquals(403, get(brms, "/api/projects/other/releases", scoped.secret()).statusCode());
    assertEquals(
        403, get(brms, "/api/projects/web-shop/releases", noPermission.secret()).statusCode());
    assertEquals(404, get(brms, "/api/projects/missing/releases", scoped.secret()).statusCode());
  }

  @Test
  void releasesListWhenAllProjectsThenEveryProjectCovered() {
    brms.createProject("late", "Created after the token");
    MintedToken t = brms.mint(s -> s.permissions("owner").allProjects(true));

    assertEquals(200, get(brms, "/api/projects/late/releases", t.secret()).statusCode());
  }

  @Test
  void deployWhenDeployPermissionInScopeThenEchoesBodyAndRecordsIt() {
    FakeProject web = brms.createProject("web-shop", "Web shop");
    MintedToken t = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));

    HttpResponse<String> response =
        post(
            brms,
            "/api/projects/web-shop/releases/deploy",
            t.secret(),
            "{\"releaseId\":\"r1\",\"environmentId\":\"prod\",\"comment\":\"go\"}");

    assertEquals(200, response.statusCode());
    JsonNode body = json(response);
    assertEquals("deployed", body.get("status").asText());
    assertEquals("r1", body.get("releaseId").asText());
    assertEquals("prod", body.get("environmentId").asText());
    assertEquals(
        List.of(new Deployment(web.id(), "web-shop", "r1", "prod", "go", t.id(), START)),
        brms.deployments());
  }

  @Test
  void deployWhenOnlyReleasesPermissionOrOutOfScopeThenForbidden() {
    brms.createProject("other", "Other");
    MintedToken reader =
        brms.mint(s -> s.permissions("releases", "releases:manage").projects("web-shop"));
    MintedToken deployer = brms.mint(s -> s.permissions("releases:deploy").projects("web-shop"));
    String body = "{\"releaseId\":\"r1\",\"environmentId\":\"prod\"}";

    assertEquals(
        403,
        post(brms, "/api/projects/web-shop/releases/deploy", reader.secret(), body).statusCode());
    assertEquals(
        403,
        post(brms, "/api/projects/other/releases/deploy", deployer.secret(), body).statusCode());
    assertTrue(brms.deployments().isEmpty());
  }

  @Test
  void otherWhenUnknownPathOrMethodThenNotFoundJson() {
    MintedToken t = brms.mint();

    for (HttpResponse<String> response :
        List.of(
            get(brms, "/api/nothing", t.secret()),
            get(brms, "/", null),
            post(brms, "/api/personal-access-tokens", t.secret(), "{}"),
            get(brms, "/api/personal-access-tokens/", t.secret()))) {
      assertEquals(404, response.statusCode());
      assertEquals("{\"message\":\"Not Found\"}", response.body());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    }
    assertEquals(4, brms.requestCount(Endpoint.OTHER));
  }

  @Test
  void mintWhenUnknownProjectKeyThenProjectCreatedAndSnapshotMatches() {
    MintedToken t =
        brms.mint(
            s ->
                s.note("n")
                    .permissions("releases:deploy")
                    .projects("new-one")
                    .expiresAt(START.plusSeconds(5))
                    .secret("fixed-secret"));

    FakeToken snapshot = brms.token(t.id()).orElseThrow();
    assertEquals("fixed-secret", t.secret());
    assertEquals("new-one", brms.project("new-one").orElseThrow().name());
    assertEquals("new-one", snapshot.projects().get(0).key());
    assertEquals(START.plusSeconds(5), snapshot.expiresAt());
    assertTrue(snapshot.user().isService());
    assertEquals("active", snapshot.user().status());
    assertEquals(List.of(snapshot), brms.tokensOf(t.userId()));
    assertFalse(t.toString().contains("fixed-secret"));
  }

  @Test
  void mintWhenSecretReusedOrOwnerUnknownThenRejectedWithoutEchoingSecret() {
    brms.mint(s -> s.secret("dup-secret"));

    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> brms.mint(s -> s.owner(admin).secret("dup-secret")));
    assertFalse(dup.getMessage().contains("dup-secret"));
    assertThrows(IllegalArgumentException.class, () -> brms.mint(s -> s.owner(UUID.randomUUID())));
  }
}
