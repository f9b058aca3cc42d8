package dev.patguard.fakebrms.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.patguard.fakebrms.DataFileException;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.FakeUser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A parsed data file of projects, users and tokens. Parsing checks everything it can (types,
 * unknown fields, duplicate keys and secrets, token projects declared in {@code projects}) and
 * names the JSON path of the first bad value; {@link #applyTo(FakeBrms)} uses only the public API.
 */
public final class DataFile {

  private static final Set<String> ROOT_FIELDS = Set.of("projects", "users");
  private static final Set<String> PROJECT_FIELDS = Set.of("key", "name");
  private static final Set<String> USER_FIELDS =
      Set.of(
          "id",
          "email",
          "status",
          "type",
          "firstName",
          "lastName",
          "serviceAccount",
          "admin",
          "tokens");
  private static final Set<String> TOKEN_FIELDS =
      Set.of(
          "id",
          "secret",
          "note",
          "permissions",
          "allProjects",
          "projects",
          "expiresIn",
          "expiresAt",
          "neverExpires",
          "canReadOwnTokens");

  private final String source;
  private final List<ProjectData> projects;
  private final List<UserData> users;

  private DataFile(String source, List<ProjectData> projects, List<UserData> users) {
    this.source = source;
    this.projects = projects;
    this.users = users;
  }

  private record ProjectData(String path, String key, String name) {}

  private record UserData(
      String path,
      @Nullable UUID id,
      String email,
      @Nullable String status,
      @Nullable String type,
      @Nullable String firstName,
      @Nullable String lastName,
      boolean service,
      boolean admin,
      List<TokenData> tokens) {}

  /**
   * {@code expiresIn}, {@code expiresAt}, or neither (never, if {@code never}; else the default).
   */
  private record TokenData(
      String path,
      @Nullable UUID id,
      String secret,
      @Nullable String note,
      List<String> permissions,
      boolean allProjects,
      List<String> projects,
      @Nullable Duration expiresIn,
      @Nullable Instant expiresAt,
      boolean never,
      boolean canReadOwnTokens) {
    @Override
    public String toString() {
      return "TokenData[" + path + "]";
    }
  }

  /**
   * Reads and checks a data file.
   *
   * @param file the file
   * @return the parsed data
   */
  public static DataFile read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fake-brms data file " + file, e);
    }
  }

  /**
   * Reads and checks data-file JSON.
   *
   * @param in the JSON, not closed
   * @param source a description for messages
   * @return the parsed data
   */
  public static DataFile read(InputStream in, String source) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new DataFileException(
          source,
          "$",
          "not valid JSON: "
              + e.getOriginalMessage()
              + " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fake-brms data from " + source, e);
    }
    return new Parser(source).file(root);
  }

  /**
   * Creates the projects, users and tokens in a running fake.
   *
   * @param brms the fake
   */
  public void applyTo(FakeBrms brms) {
    for (ProjectData p : projects) {
      apply(p.path, () -> brms.createProject(p.key, p.name));
    }
    for (UserData u : users) {
      FakeUser user =
          apply(
              u.path,
              () ->
                  brms.createUser(
                      spec -> {
                        if (u.id != null) {
                          spec.id(u.id);
                        }
                        spec.email(u.email).serviceAccount(u.service).admin(u.admin);
                        if (u.status != null) {
                          spec.status(u.status);
                        }
                        if (u.type != null) {
                          spec.type(u.type);
                        }
                        if (u.firstName != null) {
                          spec.firstName(u.firstName);
                        }
                        if (u.lastName != null) {
                          spec.lastName(u.lastName);
                        }
                      }));
      for (TokenData t : u.tokens) {
        apply(
            t.path,
            () ->
                brms.mint(
                    spec -> {
                      spec.owner(user)
                          .secret(t.secret)
                          .permissions(t.permissions)
                          .allProjects(t.allProjects)
                          .projects(t.projects)
                          .canReadOwnTokens(t.canReadOwnTokens);
                      if (t.id != null) {
                        spec.id(t.id);
                      }
                      if (t.note != null) {
                        spec.note(t.note);
                      }
                      if (t.expiresIn != null) {
                        spec.expiresIn(t.expiresIn);
                      } else if (t.expiresAt != null) {
                        spec.expiresAt(t.expiresAt);
                      } else if (t.never) {
                        spec.neverExpires();
                      }
                    }));
      }
    }
  }

  private <T> T apply(String path, Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      throw new DataFileException(source, path, e.getMessage());
    }
  }

  /** Walks the tree, keeping the JSON path for messages. */
  private static final class Parser {
    private final String source;
    private final Set<String> projectKeys = new HashSet<>();
    private final Set<String> secrets = new HashSet<>();

    Parser(String source) {
      this.source = source;
    }

    DataFile file(@Nullable JsonNode root) {
      if (root == null || !root.isObject()) {
        throw bad("$", "must be a JSON object");
      }
      fields(root, "$", ROOT_FIELDS);
      List<ProjectData> projects = new ArrayList<>();
      JsonNode projectArray = array(root, "$", "projects");
      for (int i = 0; i < projectArray.size(); i++) {
        String path = "$.projects[" + i + "]";
        JsonNode node = object(projectArray.get(i), path);
        fields(node, path, PROJECT_FIELDS);
        String key = requiredText(node, path, "key");
        if (!projectKeys.add(key)) {
          throw bad(path + ".key", "duplicate project key '" + key + "'");
        }
        String name = optionalText(node, path, "name");
        projects.add(new ProjectData(path, key, name != null ? name : key));
      }
      List<UserData> users = new ArrayList<>();
      JsonNode userArray = array(root, "$", "users");
      for (int i = 0; i < userArray.size(); i++) {
        users.add(user(userArray.get(i), "$.users[" + i + "]"));
      }
      return new DataFile(source, List.copyOf(projects), List.copyOf(users));
    }

    private UserData user(JsonNode raw, String path) {
      JsonNode node = object(raw, path);
      fields(node, path, USER_FIELDS);
      List<TokenData> tokens = new ArrayList<>();
      JsonNode tokenArray = array(node, path, "tokens");
      for (int i = 0; i < tokenArray.size(); i++) {
        tokens.add(token(tokenArray.get(i), path + ".tokens[" + i + "]"));
      }
      return new UserData(
          path,
          uuid(node, path, "id"),
          requiredText(node, path, "email"),
          optionalText(node, path, "status"),
          optionalText(node, path, "type"),
          optionalText(node, path, "firstName"),
          optionalText(node, path, "lastName"),
          bool(node, path, "serviceAccount", false),
          bool(node, path, "admin", false),
          List.copyOf(tokens));
    }

    private TokenData token(JsonNode raw, String path) {
      JsonNode node = object(raw, path);
      fields(node, path, TOKEN_FIELDS);
      String secret = requiredText(node, path, "secret");
      if (!secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw bad(path + ".secret", "must be visible ASCII without spaces");
      }
      if (!secrets.add(secret)) {
        throw bad(path + ".secret", "another token already has this secret");
      }
      List<String> projects = texts(node, path, "projects");
      for (int i = 0; i < projects.size(); i++) {
        if (!projectKeys.contains(projects.get(i))) {
          throw bad(
              path + ".projects[" + i + "]",
              "project '" + projects.get(i) + "' is not declared in $.projects");
        }
      }
      int expiries =
          (node.has("expiresIn") ? 1 : 0)
              + (node.has("expiresAt") ? 1 : 0)
              + (node.has("neverExpires") ? 1 : 0);
      if (expiries > 1) {
        throw bad(path, "give at most one of expiresIn, expiresAt, neverExpires");
      }
      Duration expiresIn = null;
      String in = optionalText(node, path, "expiresIn");
      if (in != null) {
        try {
          expiresIn = Duration.parse(in);
        } catch (DateTimeParseException e) {
          throw bad(path + ".expiresIn", "not an ISO-8601 duration such as P30D: '" + in + "'");
        }
        if (expiresIn.isNegative() || expiresIn.isZero()) {
          throw bad(path + ".expiresIn", "must be positive: " + in);
        }
      }
      Instant expiresAt = null;
      String at = optionalText(node, path, "expiresAt");
      if (at != null) {
        try {
          expiresAt = Instant.parse(at);
        } catch (DateTimeParseException e) {
          throw bad(
              path + ".expiresAt",
              "not an ISO-8601 instant such as 2026-11-29T12:00:00Z: '" + at + "'");
        }
      }
      boolean never = bool(node, path, "neverExpires", false);
      if (node.has("neverExpires") && !never) {
        throw bad(path + ".neverExpires", "must be true when present");
      }
      return new TokenData(
          path,
          uuid(node, path, "id"),
          secret,
          optionalText(node, path, "note"),
          texts(node, path, "permissions"),
          bool(node, path, "allProjects", false),
          projects,
          expiresIn,
          expiresAt,
          never,
          bool(node, path, "canReadOwnTokens", true));
    }

    private JsonNode object(@Nullable JsonNode node, String path) {
      if (node == null || !node.isObject()) {
        throw bad(path, "must be an object");
      }
      return node;
    }

    private void fields(JsonNode node, String path, Set<String> allowed) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          throw bad(
              path + "." + name, "unknown field (expected one of " + new TreeSet<>(allowed) + ")");
        }
      }
    }

    private JsonNode array(JsonNode node, String path, String field) {
      JsonNode value = node.get(field);
      if (value == null) {
        return Json.MAPPER.createArrayNode();
      }
      if (!value.isArray()) {
        throw bad(path + "." + field, "must be an array");
      }
      return value;
    }

    private List<String> texts(JsonNode node, String path, String field) {
      JsonNode value = array(node, path, field);
      List<String> result = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        if (!value.get(i).isTextual()) {
          throw bad(path + "." + field + "[" + i + "]", "must be a string");
        }
        result.add(value.get(i).asText());
      }
      return List.copyOf(result);
    }

    private String requiredText(JsonNode node, String path, String field) {
      String value = optionalText(node, path, field);
      if (value == null) {
        throw bad(path + "." + field, "is required");
      }
      if (value.isBlank()) {
        throw bad(path + "." + field, "must not be blank");
      }
      return value;
    }

    private @Nullable String optionalText(JsonNode node, String path, String field) {
      JsonNode value = node.get(field);
      if (value == null) {
        return null;
      }
      if (!value.isTextual()) {
        throw bad(path + "." + field, "must be a string");
      }
      return value.asText();
    }

    private boolean bool(JsonNode node, String path, String field, boolean fallback) {
      JsonNode value = node.get(field);
      if (value == null) {
        return fallback;
      }
      if (!value.isBoolean()) {
        throw bad(path + "." + field, "must be true or false");
      }
      return value.asBoolean();
    }

    private @Nullable UUID uuid(JsonNode node, String path, String field) {
      String text = optionalText(node, path, field);
      if (text == null) {
        return null;
      }
      UUID id = Uuids.parse(text);
      if (id == null) {
        throw bad(path + "." + field, "not a UUID: '" + text + "'");
      }
      return id;
    }

    private DataFileException bad(String path, String problem) {
      return new DataFileException(source, path, problem);
    }
  }
}
