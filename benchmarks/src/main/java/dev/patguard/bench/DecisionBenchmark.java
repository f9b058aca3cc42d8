package dev.patguard.bench;

import dev.patguard.decision.Authorizer;
import dev.patguard.decision.Grant;
import dev.patguard.decision.PermissionModel;
import dev.patguard.decision.Requirement;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.shiro.authz.permission.WildcardPermission;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue #7 item 1: one decision on an already compiled grant, patguard vs peers given the same
 * facts.
 *
 * <p>Every contender gets the token's <em>closure</em> (for 19 permissions that includes {@code
 * owner}, so all 19 names), its project keys, and a requirement prepared once (patguard: a parsed
 * {@link Requirement}; Shiro: a {@link WildcardPermission}; jCasbin: the request strings; naive:
 * the strings). The permit path asks for {@code releases:deploy} on the token's last project; the
 * deny path for {@code releases:deploy} on a project outside its scope, which is a deny for every
 * size (a 19-permission token holds {@code owner}, so only scope can deny it).
 *
 * <ul>
 *   <li><b>Shiro</b>: one case-sensitive {@code WildcardPermission} per granted name, {@code
 *       releases.deploy:proj-0,proj-1} (the name's own {@code :} becomes {@code .}, because Shiro
 *       would otherwise read a bare {@code documents} as {@code documents:*}); the check is {@code
 *       AuthorizingRealm}'s loop over the held permissions calling {@code implies}.
 *   <li><b>jCasbin</b>: RBAC with domains, model and policy built in code from strings: the token
 *       has role {@code grant} in each of its projects (domains), and {@code grant} holds each
 *       permission in each project; {@code enforce(token, project, permission)}.
 *   <li><b>naive</b>: two {@code HashSet<String>}s, permissions and project keys.
 * </ul>
 *
 * Run: {@code java -jar benchmarks/target/benchmarks.jar DecisionBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DecisionBenchmark {

  static final String CASBIN_MODEL =
      String.join(
          "\n",
          "[request_definition]",
          "r = sub, dom, obj",
          "",
          "[policy_definition]",
          "p = sub, dom, obj",
          "",
          "[role_definition]",
          "g = _, _, _",
          "",
          "[policy_effect]",
          "e = some(where (p.eft == allow))",
          "",
          "[matchers]",
          "m = g(r.sub, p.sub, r.dom) && r.dom == p.dom && r.obj == p.obj");

  /** Permissions on the token: a typical 3, or all 19 known names. */
  @Param({"3", "19"})
  public int permissions;

  /** Projects the token is scoped to. */
  @Param({"2", "50"})
  public int projects;

  private Authorizer authorizer;
  private Grant grant;
  private Instant now;
  private Requirement permitRequirement;
  private Requirement denyRequirement;

  private WildcardPermission[] shiroHeld;
  private WildcardPermission shiroPermit;
  private WildcardPermission shiroDeny;

  private Enforcer casbin;
  private String casbinSubject;

  private Set<String> naivePermissions;
  private Set<String> naiveProjects;

  private String permitProject;

  static final String REQUIRED = "releases:deploy";
  static final String OUT_OF_SCOPE = "elsewhere";

  @Setup(Level.Trial)
  public void setUp() {
    PersonalAccessToken token = Fixtures.token(Fixtures.permissions(permissions), projects, 7);
    authorizer = Authorizer.standard();
    grant = Grant.compile(token, PermissionModel.strict(), "0123abcd");
    now = Fixtures.NOW;
    permitProject = Fixtures.projectKey(projects - 1);
    permitRequirement = Requirement.parse(REQUIRED + "@" + permitProject);
    denyRequirement = Requirement.parse(REQUIRED + "@" + OUT_OF_SCOPE);

    Set<String> closure = grant.grantedPermissions();
    List<String> keys = new ArrayList<>();
    for (Project p : token.projects()) {
      keys.add(p.key());
    }
    String projectPart = String.join(",", keys);
    List<WildcardPermission> held = new ArrayList<>();
    for (String name : closure) {
      held.add(new WildcardPermission(shiroName(name) + ":" + projectPart, true));
    }
    shiroHeld = held.toArray(new WildcardPermission[0]);
    shiroPermit = new WildcardPermission(shiroName(REQUIRED) + ":" + permitProject, true);
    shiroDeny = new WildcardPermission(shiroName(REQUIRED) + ":" + OUT_OF_SCOPE, true);

    Model model = new Model();
    model.loadModelFromText(CASBIN_MODEL);
    casbin = new Enforcer(model);
    casbin.enableLog(false);
    casbinSubject = token.id().toString();
    for (String key : keys) {
      casbin.addGroupingPolicy(casbinSubject, "grant", key);
      for (String name : closure) {
        casbin.addPolicy("grant", key, name);
      }
    }

    naivePermissions = new HashSet<>(closure);
    naiveProjects = new HashSet<>(keys);

    check();
  }

  /** Every contender must agree before anything is timed. */
  private void check() {
    boolean[] permits = {
      authorizer.decide(grant, permitRequirement, now).isPermit(), shiro(shiroPermit),
      casbin.enforce(casbinSubject, permitProject, REQUIRED), naive(REQUIRED, permitProject)
    };
    boolean[] denies = {
      authorizer.decide(grant, denyRequirement, now).isPermit(), shiro(shiroDeny),
      casbin.enforce(casbinSubject, OUT_OF_SCOPE, REQUIRED), naive(REQUIRED, OUT_OF_SCOPE)
    };
    for (int i = 0; i < permits.length; i++) {
      if (!permits[i] || denies[i]) {
        throw new IllegalStateException(
            "contender " + i + " disagrees: permit=" + permits[i] + " deny=" + denies[i]);
      }
    }
  }

  static String shiroName(String brmsName) {
    return brmsName.replace(':', '.');
  }

  private boolean shiro(WildcardPermission required) {
    for (WildcardPermission p : shiroHeld) {
      if (p.implies(required)) {
        return true;
      }
    }
    return false;
  }

  private boolean naive(String permission, String project) {
    return naivePermissions.contains(permission) && naiveProjects.contains(project);
  }

  @Benchmark
  public void patguardPermit(Blackhole bh) {
    bh.consume(authorizer.decide(grant, permitRequirement, now));
  }

  @Benchmark
  public void patguardDeny(Blackhole bh) {
    bh.consume(authorizer.decide(grant, denyRequirement, now));
  }

  @Benchmark
  public void shiroPermit(Blackhole bh) {
    bh.consume(shiro(shiroPermit));
  }

  @Benchmark
  public void shiroDeny(Blackhole bh) {
    bh.consume(shiro(shiroDeny));
  }

  @Benchmark
  public void casbinPermit(Blackhole bh) {
    bh.consume(casbin.enforce(casbinSubject, permitProject, REQUIRED));
  }

  @Benchmark
  public void casbinDeny(Blackhole bh) {
    bh.consume(casbin.enforce(casbinSubject, OUT_OF_SCOPE, REQUIRED));
  }

  @Benchmark
  public void naiveSetPermit(Blackhole bh) {
    bh.consume(naive(REQUIRED, permitProject));
  }

  @Benchmark
  public void naiveSetDeny(Blackhole bh) {
    bh.consume(naive(REQUIRED, OUT_OF_SCOPE));
  }
}
