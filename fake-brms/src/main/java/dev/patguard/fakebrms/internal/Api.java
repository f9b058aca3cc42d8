package dev.patguard.fakebrms.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.patguard.fakebrms.Deployment;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeProject;
import dev.patguard.fakebrms.FakeToken;
import dev.patguard.fakebrms.FakeUser;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The BRMS semantics: authentication, admin and scope checks, and the endpoint answers. Owner
 * status does not affect authentication: what the real BRMS does for inactive owners is unknown,
 * and patguard checks the status itself.
 */
final class Api {

  private static final int MAX_BODY = 1 << 20;
  private static final Set<String> RELEASE_READERS =
      Set.of("releases", "releases:manage", "releases:deploy", "owner");
  private static final Set<String> DEPLOYERS = Set.of("releases:deploy", "owner");
  private static final String EXPIRIES = "week, month, three_months, year, indefinite";

  private final Store store;

  Api(Store store) {
    this.store = store;
  }

  Response handle(Route route, Headers headers, InputStream body) throws IOException {
    if (route.endpoint() == Endpoint.OTHER) {
      return Response.message(404, "Not Found");
    }
    String secret = bearer(headers);
    Optional<FakeToken> authenticated =
        secret == null ? Optional.empty() : store.authenticate(secret);
    if (authenticated.isEmpty()) {
      return new Response(
          401,
          Map.of("Content-Type", "application/json", "WWW-Authenticate", "Bearer"),
          Json.bytes(Json.message("Unauthorized")));
    }
    FakeToken caller = authenticated.get();
    switch (route.endpoint()) {
      case SELF_LIST:
        return caller.canReadOwnTokens()
            ? Response.json(200, Json.pats(store.tokensOf(caller.userId())))
            : forbidden();
      case SELF_DELETE:
        return deleteOwn(caller, route.variable(0));
      case SERVICE_LIST:
      case SERVICE_CREATE:
      case SERVICE_GET:
      case SERVICE_REGENERATE:
        return service(caller, route, body);
      case RELEASES_LIST:
      case DEPLOY:
        return releases(caller, route, body);
      default:
        return Response.message(404, "Not Found");
    }
  }

  private Response deleteOwn(FakeToken caller, String patText) {
    UUID patId = Uuids.parse(patText);
    Optional<FakeToken> deleted =
        patId == null ? Optional.empty() : store.deleteOwn(caller.userId(), patId);
    return deleted.map(t -> Response.json(200, Json.pat(t, null))).orElseGet(Api::notFound);
  }

  private Response service(FakeToken caller, Route route, InputStream body) throws IOException {
    if (!caller.user().admin()) {
      return forbidden();
    }
    UUID userId = Uuids.parse(route.variable(0));
    Optional<FakeUser> user = userId == null ? Optional.empty() : store.serviceUser(userId);
    if (userId == null || user.isEmpty()) {
      return notFound();
    }
    if (route.endpoint() == Endpoint.SERVICE_LIST) {
      return Response.json(200, Json.pats(store.tokensOf(userId)));
    }
    if (route.endpoint() == Endpoint.SERVICE_CREATE) {
      return create(userId, body);
    }
    UUID patId = Uuids.parse(route.variable(1));
    Optional<FakeToken> token = patId == null ? Optional.empty() : store.tokenOf(userId, patId);
    if (patId == null || token.isEmpty()) {
      return notFound();
    }
    if (route.endpoint() == Endpoint.SERVICE_GET) {
      return Response.json(200, Json.pat(token.get(), null));
    }
    JsonNode json = readObject(body);
    if (json == null) {
      return badRequest("body must be a JSON object");
    }
    Expiry expiry = expiry(json.get("expiry"));
    if (expiry == null) {
      return badRequest("expiry must be one of " + EXPIRIES);
    }
    return store
        .regenerate(userId, patId, expiry.at)
        .map(issued -> Response.json(200, Json.pat(issued.token(), issued.secret())))
        .orElseGet(Api::notFound);
  }

  private Response create(UUID userId, InputStream body) throws IOException {
    JsonNode json = readObject(body);
    if (json == null) {
      return badRequest("body must be a JSON object");
    }
    JsonNode note = json.get("note");
    if (note == null
        || !note.isTextual()
        || note.asText().isEmpty()
        || note.asText().length() > 100) {
      return badRequest("note must be a string of 1 to 100 characters");
    }
    JsonNode all = json.get("allProjects");
    if (all != null && !all.isBoolean()) {
      return badRequest("allProjects must be a boolean");
    }
    Expiry expiry = expiry(json.get("expiry"));
    if (expiry == null) {
      return badRequest("expiry must be one of " + EXPIRIES);
    }
    List<String> projectTexts = strings(json.get("projects"));
    if (projectTexts == null) {
      return badRequest("projects must be an array of project ids");
    }
    List<UUID> projectIds = new ArrayList<>();
    for (String text : projectTexts) {
      UUID id = Uuids.parse(text);
      if (id == null || store.project(text).isEmpty()) {
        return badRequest("unknown project id: " + text);
      }
      projectIds.add(id);
    }
    List<String> permissions = strings(json.get("permissions"));
    if (permissions == null) {
      return badRequest("permissions must be an array of strings");
    }
    Store.Issued issued =
        store.create(
            userId,
            note.asText(),
            permissions,
            all != null && all.asBoolean(),
            projectIds,
            expiry.at);
    return Response.json(201, Json.pat(issued.token(), issued.secret()));
  }

  private Response releases(FakeToken caller, Route route, InputStream body) throws IOException {
    Optional<FakeProject> found = store.project(route.variable(0));
    if (found.isEmpty()) {
      return notFound();
    }
    FakeProject project = found.get();
    boolean inScope =
        caller.allProjects()
            || caller.projects().stream().anyMatch(p -> p.id().equals(project.id()));
    Set<String> needed = route.endpoint() == Endpoint.DEPLOY ? DEPLOYERS : RELEASE_READERS;
    if (!inScope || caller.permissions().stream().noneMatch(needed::contains)) {
      return forbidden();
    }
    if (route.endpoint() == Endpoint.RELEASES_LIST) {
      ObjectNode page = Json.MAPPER.createObjectNode();
      page.putArray("results");
      page.putObject("paginate")
          .put("current", 1)
          .put("from", 0)
          .put("to", 0)
          .put("total", 0)
          .put("pageSize", 20);
      return Response.json(200, page);
    }
    JsonNode json = readObject(body);
    if (json == null) {
      return badRequest("body must be a JSON object");
    }
    ObjectNode answer =
        Json.MAPPER
            .createObjectNode()
            .put("status", "deployed")
            .put("projectId", project.id().toString());
    String[] echoed = new String[3];
    String[] fields = {"releaseId", "environmentId", "comment"};
    for (int i = 0; i < fields.length; i++) {
      JsonNode value = json.get(fields[i]);
      if (value != null && !value.isNull() && !value.isTextual()) {
        return badRequest(fields[i] + " must be a string");
      }
      echoed[i] = value == null || value.isNull() ? null : value.asText();
      answer.put(fields[i], echoed[i]);
    }
    store.recordDeployment(
        new Deployment(
            project.id(),
            project.key(),
            echoed[0],
            echoed[1],
            echoed[2],
            caller.id(),
            store.now()));
    return Response.json(200, answer);
  }

  private static @Nullable String bearer(Headers headers) {
    List<String> values = headers.get("Authorization");
    if (values == null || values.size() != 1) {
      return null;
    }
    String value = values.get(0).trim();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
      return null;
    }
    String secret = value.substring(space + 1).trim();
    return secret.isEmpty() ? null : secret;
  }

  private static @Nullable JsonNode readObject(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      return null;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static @Nullable List<String> strings(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      return null;
    }
    List<String> result = new ArrayList<>();
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        return null;
      }
      result.add(element.asText());
    }
    return result;
  }

  /** A parsed {@code expiry} value; {@code at} is null for {@code indefinite}. */
  private static final class Expiry {
    private final @Nullable Instant at;

    Expiry(@Nullable Instant at) {
      this.at = at;
    }
  }

  private @Nullable Expiry expiry(@Nullable JsonNode node) {
    if (node == null || !node.isTextual()) {
      return null;
    }
    ZonedDateTime now = ZonedDateTime.ofInstant(store.now(), ZoneOffset.UTC);
    switch (node.asText()) {
      case "week":
        return new Expiry(now.plusWeeks(1).toInstant());
      case "month":
        return new Expiry(now.plusMonths(1).toInstant());
      case "three_months":
        return new Expiry(now.plusMonths(3).toInstant());
      case "year":
        return new Expiry(now.plusYears(1).toInstant());
      case "indefinite":
        return new Expiry(null);
      default:
        return null;
    }
  }

  private static Response forbidden() {
    return Response.message(403, "Forbidden");
  }

  private static Response notFound() {
    return Response.message(404, "Not Found");
  }

  private static Response badRequest(String message) {
    return Response.message(400, message);
  }
}
