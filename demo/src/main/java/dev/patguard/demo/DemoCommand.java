package dev.patguard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import dev.patguard.DeployGate;
import dev.patguard.PatGuard;
import dev.patguard.TokenFacts;
import dev.patguard.cli.CliEnvironment;
import dev.patguard.cli.PatGuardCli;
import dev.patguard.decision.Grant;
import dev.patguard.decision.LeastPrivilegeReport;
import dev.patguard.decision.LeastPrivilegeReview;
import dev.patguard.decision.Requirement;
import dev.patguard.fakebrms.Endpoint;
import dev.patguard.fakebrms.FakeBrms;
import dev.patguard.fakebrms.Fault;
import dev.patguard.fakebrms.MintedToken;
import dev.patguard.receipt.DecisionReceipts;
import dev.patguard.receipt.ReceiptKeys;
import dev.patguard.receipt.ReceiptVerificationException;
import dev.patguard.receipt.ReceiptVerifier;
import dev.patguard.receipt.VerifiedReceipt;
import dev.patguard.samples.webapp.ReleasePortal;
import dev.patguard.token.SecretDigest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The demo: everything patguard does, on loopback, with no BRMS account. Starts fake-brms with a
 * cast of tokens, starts the sample release portal guarded by the filter, sends it one request per
 * scenario, then runs the deploy gate, a least-privilege review and a signed receipt round trip.
 * Exit 0 when every scenario got the status it should, else 1. Run by {@link PatGuardDemo}.
 */
@Command(
    name = "patguard-demo",
    mixinStandardHelpOptions = true,
    versionProvider = PatGuardDemo.Version.class,
    description =
        "Runs patguard end to end on loopback: a fake BRMS with sample tokens, the sample"
            + " release portal guarded by PatGuardFilter, the deploy gate, a least-privilege review and a"
            + " signed receipt. Prints request -> status -> reason. Exit 0 when every scenario behaved"
            + " as expected, 1 otherwise. --serve keeps both servers running and prints curl lines.")
final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEPLOY_WEB = "/api/projects/web-shop/releases/deploy";

  private final CliEnvironment env;
  private final PrintWriter out;
  private final PrintWriter err;

  /** How --serve waits; tests replace it so that they return at once. */
  Runnable awaitStop = DemoCommand::untilStopped;

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--serve",
      description = "Keep the fake BRMS and the portal running and print curl lines to try.")
  boolean serve;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The portal's port with --serve (default: any free port).")
  int port;

  @Option(names = "--debug", description = "Show stack traces and core's log.")
  boolean debug;

  DemoCommand(CliEnvironment env) {
    this.env = env;
    this.out = new PrintWriter(env.stdout(), true);
    this.err = new PrintWriter(env.stderr(), true);
  }

  /** Standard output of this run. */
  PrintWriter out() {
    return out;
  }

  /** Standard error of this run. */
  PrintWriter err() {
    return err;
  }

  /** One token of the cast. */
  private record Actor(String name, String story, MintedToken token) {
    String label() {
      return name + " (" + SecretDigest.fingerprintOf(token.secret()) + ")";
    }
  }

  /** One request to the portal and the status it must get. */
  private record Scenario(
      String what,
      String method,
      String path,
      @Nullable Actor actor,
      int expected,
      @Nullable Runnable before) {}

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(
          Objects.requireNonNull(spec, "spec is injected").commandLine(),
          "--port must be between 0 and 65535, got " + port);
    }
    PrintWriter o = out;
    try (FakeBrms brms = FakeBrms.builder().clock(env.clock()).start()) {
      brms.createProject("web-shop", "Web shop");
      brms.createProject("docs-site", "Docs site");
      Map<String, Actor> cast = cast(brms);
      PatGuard guard =
          PatGuard.builder()
              .baseUrl(brms.baseUrl())
              .clock(env.clock())
              .requestTimeout(Duration.ofSeconds(5))
              .maxRetries(0)
              .build();
      try (ReleasePortal portal = ReleasePortal.start(guard, serve ? port : 0)) {
        o.println(
            "patguard demo: fake BRMS at "
                + brms.baseUrl()
                + ", release portal at "
                + portal.baseUrl());
        o.println("");
        int failures = scenarios(o, brms, portal, cast);
        o.println("");
        failures += gate(o, guard, cast);
        o.println("");
        failures += receipt(o, guard, cast);
        o.println("");
        if (serve) {
          serve(o, brms, portal, cast, failures);
        }
        o.println(
            failures == 0
                ? "demo: every scenario behaved as expected"
                : "demo: " + failures + " scenario(s) did NOT behave as expected");
        return failures == 0 ? PatGuardCli.PERMIT : PatGuardCli.DENY;
      } finally {
        guard.close();
      }
    }
  }

  /** Six tokens, each with its own service user so that every self lookup is exact. */
  private static Map<String, Actor> cast(FakeBrms brms) {
    Map<String, Actor> cast = new LinkedHashMap<>();
    cast.put(
        "ci-deployer",
        actor(
            brms,
            "ci-deployer",
            "releases:deploy on web-shop, 30 days",
            t ->
                t.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30))));
    cast.put(
        "legacy-ci",
        actor(
            brms,
            "legacy-ci",
            "owner on all projects, never expires",
            t -> t.permissions("owner").allProjects(true).neverExpires()));
    cast.put(
        "docs-bot",
        actor(
            brms,
            "docs-bot",
            "releases:deploy on docs-site only",
            t ->
                t.permissions("releases:deploy")
                    .projects("docs-site")
                    .expiresIn(Duration.ofDays(30))));
    cast.put(
        "old-deployer",
        actor(
            brms,
            "old-deployer",
            "releases:deploy on web-shop, expired",
            t ->
                t.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(1))));
    brms.expire(cast.get("old-deployer").token().id());
    cast.put(
        "ex-employee",
        actor(
            brms,
            "ex-employee",
            "releases:deploy on web-shop, revoked",
            t ->
                t.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30))));
    brms.revoke(cast.get("ex-employee").token().id());
    cast.put(
        "release-bot",
        actor(
            brms,
            "release-bot",
            "releases:deploy on web-shop, asked while BRMS is down",
            t ->
                t.permissions("releases:deploy")
                    .projects("web-shop")
                    .expiresIn(Duration.ofDays(30))));
    return cast;
  }

  private static Actor actor(
      FakeBrms brms, String name, String story, Consumer<dev.patguard.fakebrms.TokenSpec> spec) {
    var owner = brms.createUser(u -> u.email(name + "@acme.test").serviceAccount());
    MintedToken token =
        brms.mint(
            t -> {
              t.owner(owner).note(name);
              spec.accept(t);
            });
    return new Actor(name, story, token);
  }

  private int scenarios(PrintWriter o, FakeBrms brms, ReleasePortal portal, Map<String, Actor> cast)
      throws Exception {
    List<Scenario> scenarios =
        List.of(
            new Scenario(
                "least-privilege deploy token",
                "POST",
                DEPLOY_WEB,
                cast.get("ci-deployer"),
                202,
                null),
            new Scenario(
                "over-privileged token (permitted: see the review below)",
                "POST",
                DEPLOY_WEB,
                cast.get("legacy-ci"),
                202,
                null),
            new Scenario(
                "token for another project", "POST", DEPLOY_WEB, cast.get("docs-bot"), 403, null),
            new Scenario(
                "missing permission",
                "POST",
                "/api/projects/web-shop/environments/prod/undeploy",
                cast.get("ci-deployer"),
                403,
                null),
            new Scenario("expired token", "POST", DEPLOY_WEB, cast.get("old-deployer"), 401, null),
            new Scenario("revoked token", "POST", DEPLOY_WEB, cast.get("ex-employee"), 401, null),
            new Scenario("no token", "POST", DEPLOY_WEB, null, 401, null),
            new Scenario("public route", "GET", "/health", null, 200, null),
            new Scenario(
                "route no rule allows",
                "DELETE",
                "/api/projects/web-shop",
                cast.get("ci-deployer"),
                403,
                null),
            new Scenario(
                "BRMS down (503 from BRMS)",
                "POST",
                DEPLOY_WEB,
                cast.get("release-bot"),
                503,
                () -> brms.inject(Endpoint.SELF_LIST, Fault.status(503), 1)));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String format = "%-3s %-55s %-24s %-6s %s";
    o.println(String.format(Locale.ROOT, format, "#", "request", "token", "status", "reason"));
    int failures = 0;
    int n = 0;
    for (Scenario s : scenarios) {
      n++;
      if (s.before() != null) {
        s.before().run();
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(portal.baseUrl() + s.path()))
              .timeout(Duration.ofSeconds(10))
              .method(
                  s.method(),
                  HttpRequest.BodyPublishers.ofString(
                      "{\"releaseId\":\"r-42\",\"environmentId\":\"prod\"}"));
      if (s.actor() != null) {
        request.header("Authorization", "Bearer " + s.actor().token().secret());
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      boolean ok = response.statusCode() == s.expected();
      if (!ok) {
        failures++;
      }
      o.println(
          String.format(
              Locale.ROOT,
              format,
              n,
              s.method() + " " + s.path(),
              s.actor() == null ? "(none)" : s.actor().label(),
              response.statusCode() + (ok ? "" : "!"),
              reason(response)
                  + "  ["
                  + s.what()
                  + "]"
                  + (ok ? "" : "  EXPECTED " + s.expected())));
    }
    return failures;
  }

  /** What the response says, as a caller sees it: the problem's reasons, or the app's answer. */
  private static String reason(HttpResponse<String> response) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      return "(no JSON body)";
    }
    if (body == null) {
      return "";
    }
    if (response.statusCode() < 300) {
      return body.has("status") && body.get("status").isTextual()
          ? body.get("status").asText()
          : "ok";
    }
    List<String> reasons = new ArrayList<>();
    for (JsonNode r : body.path("reasons")) {
      reasons.add(
          r.path("code").asText() + (r.hasNonNull("detail") ? " " + r.get("detail").asText() : ""));
    }
    String error =
        response.headers().firstValue("WWW-Authenticate").map(DemoCommand::errorCode).orElse("");
    String text = reasons.isEmpty() ? body.path("title").asText() : String.join(", ", reasons);
    return error.isEmpty() ? text : error + ": " + text;
  }

  private static String errorCode(String challenge) {
    int i = challenge.indexOf("error=\"");
    return i < 0 ? "" : challenge.substring(i + 7, challenge.indexOf('"', i + 7));
  }

  private int gate(PrintWriter o, PatGuard guard, Map<String, Actor> cast) {
    o.println("deploy gate: patguard check --require releases:deploy@web-shop");
    DeployGate gate = DeployGate.of(guard);
    Requirement deploy = Requirement.parse("releases:deploy@web-shop");
    int failures = 0;
    for (String name : List.of("ci-deployer", "docs-bot")) {
      DeployGate.GateResult result = gate.check(cast.get(name).token().secret(), deploy);
      boolean expected = name.equals("ci-deployer") == result.isPermit();
      failures += expected ? 0 : 1;
      o.println(
          "  " + name + ": exit " + (result.isPermit() ? 0 : 1) + "  " + result.explanation());
    }
    o.println("least-privilege review: patguard check --least-privilege --max-lifetime P90D");
    LeastPrivilegeReview review =
        LeastPrivilegeReview.builder().clock(env.clock()).maxLifetime(Duration.ofDays(90)).build();
    for (String name : List.of("ci-deployer", "legacy-ci")) {
      Grant grant =
          ((TokenFacts.Known) guard.facts(cast.get(name).token().secret()).join()).grant();
      LeastPrivilegeReport report = review.analyseGrant(grant, List.of(deploy));
      boolean expected = name.equals("ci-deployer") == report.isLeastPrivilege();
      failures += expected ? 0 : 1;
      o.println(
          "  "
              + name
              + ": "
              + (report.isLeastPrivilege()
                  ? "least privilege"
                  : "NOT least privilege: " + String.join("; ", report.findings())));
    }
    return failures;
  }

  private int receipt(PrintWriter o, PatGuard guard, Map<String, Actor> cast) {
    ECKey key = ReceiptKeys.generateEs256("demo");
    DecisionReceipts receipts =
        DecisionReceipts.builder()
            .signingKey(key)
            .clock(env.clock())
            .issuer("patguard-demo")
            .build();
    Requirement deploy = Requirement.parse("releases:deploy@web-shop");
    DeployGate.GateResult result =
        DeployGate.of(guard).check(cast.get("ci-deployer").token().secret(), deploy);
    String jws = receipts.sign(result.decision(), List.of(deploy));
    ReceiptVerifier verifier =
        DecisionReceipts.verifier(ReceiptKeys.publicJwkSet(key), env.clock());
    int failures = 0;
    o.println("signed receipt (ES256, " + jws.length() + " characters): patguard verify-receipt");
    try {
      VerifiedReceipt verified = verifier.verify(jws);
      o.println("  verified: " + verified.describe());
    } catch (ReceiptVerificationException e) {
      failures++;
      o.println("  NOT verified: " + e.getMessage());
    }
    try {
      verifier.verify(tamper(jws));
      failures++;
      o.println("  a tampered receipt was accepted!");
    } catch (ReceiptVerificationException e) {
      o.println("  a copy with its owner id altered: rejected, " + e.reason());
    }
    return failures;
  }

  /** The receipt with its payload rewritten, signature kept: what a forger would try. */
  private static String tamper(String jws) {
    String[] parts = jws.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String forged = payload.replace("\"ownerId\":\"", "\"ownerId\":\"0");
    return parts[0]
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(forged.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  private void serve(
      PrintWriter o, FakeBrms brms, ReleasePortal portal, Map<String, Actor> cast, int failures)
      throws IOException {
    brms.clearFaults();
    int code = failures == 0 ? PatGuardCli.PERMIT : PatGuardCli.DENY;
    // Secrets never go to the terminal: each is written to an owner-only file the curl lines read.
    TokenFiles tokens = TokenFiles.create(err);
    // Ctrl-C and SIGTERM run shutdown hooks, not the finally below: delete the files there too.
    // Being told to stop is how --serve ends, so exit with the run's code, not 128 + signal.
    Thread onSignal =
        new Thread(
            () -> {
              tokens.close();
              o.println("demo: stopped; deleted the token files in " + tokens.dir());
              o.flush();
              err.flush();
              Runtime.getRuntime().halt(code);
            },
            "patguard-demo-stop");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      for (Actor a : cast.values()) {
        tokens.write(a.name(), a.token().secret());
      }
      printCurlLines(o, brms, portal, tokens.dir());
      awaitStop.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: it deletes the files and ends the process.
      }
      tokens.close();
    }
  }

  private static void printCurlLines(PrintWriter o, FakeBrms brms, ReleasePortal portal, Path dir) {
    // Printed once the files exist: this line is what a script (or a test) waits for.
    o.println(
        "serving until interrupted (Ctrl-C). The tokens are in "
            + dir
            + " (owner-only files); try:");
    String base = portal.baseUrl().toString();
    o.println(
        "  curl -i -X POST -H \"Authorization: Bearer $(cat "
            + dir.resolve("ci-deployer.token")
            + ")\" "
            + base
            + DEPLOY_WEB);
    o.println(
        "  curl -i -X POST -H \"Authorization: Bearer $(cat "
            + dir.resolve("docs-bot.token")
            + ")\" "
            + base
            + DEPLOY_WEB);
    o.println("  curl -i " + base + "/health");
    o.println(
        "  PATGUARD_BRMS_URL="
            + brms.baseUrl()
            + " PATGUARD_TOKEN=$(cat "
            + dir.resolve("legacy-ci.token")
            + ") java -jar cli/target/patguard.jar explain --require releases:deploy@web-shop");
    o.flush();
  }

  /** Until the process is stopped: the shutdown hook of {@link #serve} then ends it. */
  private static void untilStopped() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
