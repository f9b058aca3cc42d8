package dev.patguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import dev.patguard.token.TokenJson;
import dev.patguard.token.TokenOwner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Grants of different tokens share what those tokens have in common — the owner's id, email and
 * status, each project, a large scope — even when every token was parsed from its own JSON, as a
 * cache full of lookups sees them. Sharing never merges facts that differ.
 */
class GrantSharingTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final UUID OWNER = UUID.fromString("6f1d2c3b-4a59-4e68-b7a6-0f1e2d3c4b5a");
  private static final UUID ORGANISATION = UUID.fromString("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
  private static final Authorizer AUTHORIZER = Authorizer.standard();

  private static Project project(int i, boolean isProtected) {
    UUID id =
        UUID.nameUUIDFromBytes(("sharing:" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new Project(
        id,
        "Project " + i,
        ORGANISATION,
        "1.0",
        "share-" + i,
        isProtected,
        NOW.minusSeconds(86_400),
        NOW.minusSeconds(60));
  }

  private static List<Project> projects(int from, int count) {
    List<Project> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(project(i, false));
    }
    return out;
  }

  /**
   * A token of {@code owner} parsed from its own JSON text: every string, UUID and record a fresh
   * copy.
   */
  private static PersonalAccessToken parsed(
      TokenOwner owner, List<Project> projects, String... permissions) {
    PersonalAccessToken t =
        new PersonalAccessToken(
            UUID.randomUUID(),
            "note " + UUID.randomUUID(),
            List.of(permissions),
            false,
            projects,
            owner,
            NOW,
            NOW,
            NOW.plusSeconds(30 * 86_400L));
    return TokenJson.parseToken(TokenJson.write(t));
  }

  private static TokenOwner owner(UUID id, String email, String status) {
    return new TokenOwner(id, email, "service account", status, "CI", "Bot", true, NOW, NOW);
  }

  private static Grant compile(PersonalAccessToken token) {
    return Grant.compile(token, PermissionModel.strict(), "0badc0de");
  }

  @Test
  void compileWhenTwoTokensParsedSeparatelyShareOwnerAndProjectsThenGrantsShareTheSameInstances() {
    TokenOwner owner = owner(OWNER, "ci@acme.test", "Pending review");
    PersonalAccessToken a = parsed(owner, projects(0, 2), "releases:deploy");
    PersonalAccessToken b = parsed(owner, projects(0, 2), "documents:view-content");
    // The premise: parsing gave each token its own copies.
    assertNotSame(a.user().id(), b.user().id());
    assertNotSame(a.user().email(), b.user().email());
    assertNotSame(a.user().status(), b.user().status());
    assertNotSame(a.projects().get(0), b.projects().get(0));
    assertNotSame(a.projects().get(0).key(), b.projects().get(0).key());

    Grant ga = compile(a);
    Grant gb = compile(b);

    assertSame(ga.subject().ownerId(), gb.subject().ownerId());
    assertSame(ga.subject().ownerEmail(), gb.subject().ownerEmail());
    assertSame(ga.ownerStatus().orElseThrow(), gb.ownerStatus().orElseThrow());
    for (int i = 0; i < 2; i++) {
      assertSame(ga.scoped(i), gb.scoped(i));
      assertSame(ga.projects().get(i).id(), gb.projects().get(i).id());
      assertSame(ga.projects().get(i).key(), gb.projects().get(i).key());
    }
    // What is not shared stays each token's own.
    assertEquals(a.id(), ga.subject().tokenId());
    assertEquals(b.id(), gb.subject().tokenId());
    assertEquals(a.note(), ga.subject().note());
  }

  @Test
  void compileWhenTokensOfDifferentOwnersShareAProjectThenTheyShareThatProjectOnly() {
    Grant ga =
        compile(
            parsed(
                owner(UUID.randomUUID(), "a@acme.test", "active"),
                projects(0, 2),
                "releases:deploy"));
    Grant gb =
        compile(
            parsed(
                owner(UUID.randomUUID(), "b@acme.test", "active"),
                projects(1, 2),
                "releases:deploy"));

    assertSame(ga.scoped(1), gb.scoped(0), "share-1 is in both");
    assertNotSame(ga.subject().ownerId(), gb.subject().ownerId());
    assertTrue(AUTHORIZER.decide(ga, Requirement.parse("releases:deploy@share-0"), NOW).isPermit());
    assertInstanceOf(
        Decision.Deny.class,
        AUTHORIZER.decide(gb, Requirement.parse("releases:deploy@share-0"), NOW));
    assertTrue(AUTHORIZER.decide(gb, Requirement.parse("releases:deploy@share-2"), NOW).isPermit());
  }

  @Test
  void compileWhenScopeHasMoreThanEightProjectsThenTokensWithThatScopeShareOneHashedScope() {
    TokenOwner owner = owner(OWNER, "ci@acme.test", "active");
    Grant ga = compile(parsed(owner, projects(100, 9), "releases:deploy"));
    Grant gb = compile(parsed(owner, projects(100, 9), "releases:deploy"));
    Grant small = compile(parsed(owner, projects(100, 8), "releases:deploy"));
    Grant other = compile(parsed(owner, projects(101, 9), "releases:deploy"));

    assertNotNull(ga.hashedScope);
    assertSame(ga.hashedScope, gb.hashedScope);
    assertNull(small.hashedScope, "8 projects are scanned, not hashed");
    assertNotSame(ga.hashedScope, other.hashedScope);
    assertSame(ga.scoped(1), other.scoped(0), "the projects themselves are still shared");
  }

  @Test
  void compileWhenOwnerFactsDifferThenNothingIsMergedAndEachDecidesByItsOwn() {
    TokenOwner active = owner(OWNER, "ci@acme.test", "active");
    TokenOwner pending = owner(OWNER, "ci@acme.test", "pending");
    TokenOwner renamed = owner(OWNER, "deploy@acme.test", "active");
    Grant ga = compile(parsed(active, projects(0, 1), "releases:deploy"));
    Grant gp = compile(parsed(pending, projects(0, 1), "releases:deploy"));
    Grant gr = compile(parsed(renamed, projects(0, 1), "releases:deploy"));
    Requirement deploy = Requirement.parse("releases:deploy@share-0");

    assertEquals("active", ga.ownerStatus().orElseThrow());
    assertEquals("pending", gp.ownerStatus().orElseThrow());
    assertEquals("deploy@acme.test", gr.subject().ownerEmail());
    assertEquals("ci@acme.test", ga.subject().ownerEmail());
    assertTrue(AUTHORIZER.decide(ga, deploy, NOW).isPermit());
    Decision.Deny deny = assertInstanceOf(Decision.Deny.class, AUTHORIZER.decide(gp, deploy, NOW));
    assertEquals(List.of(DenyReason.ownerInactive("pending")), deny.reasons());
    assertTrue(AUTHORIZER.decide(gr, deploy, NOW).isPermit());
  }

  @Test
  void compileWhenProjectFactsDifferThenEachGrantKeepsItsOwnProject() {
    TokenOwner owner = owner(OWNER, "ci@acme.test", "active");
    Project plain = project(7, false);
    Project guarded = project(7, true);
    Project rekeyed =
        new Project(plain.id(), "Project 7", ORGANISATION, "1.0", "renamed-7", false, NOW, NOW);
    Grant gPlain = compile(parsed(owner, List.of(plain), "releases:deploy"));
    Grant gGuarded = compile(parsed(owner, List.of(guarded), "releases:deploy"));
    Grant gRekeyed = compile(parsed(owner, List.of(rekeyed), "releases:deploy"));

    assertNotSame(gPlain.scoped(0), gGuarded.scoped(0));
    assertNotSame(gPlain.scoped(0), gRekeyed.scoped(0));
    assertTrue(gGuarded.projects().get(0).isProtected());
    assertEquals(List.of(false), gPlain.projects().stream().map(Project::isProtected).toList());
    assertTrue(gPlain.covers(ProjectRef.byKey("share-7")));
    assertTrue(!gRekeyed.covers(ProjectRef.byKey("share-7")));
    assertTrue(gRekeyed.covers(ProjectRef.byKey("renamed-7")));
    assertTrue(gRekeyed.covers(ProjectRef.byId(plain.id())));
  }

  @Test
  void
      compileCandidatesWhenParsedSeparatelyThenCandidatesAndTheAmbiguousGrantShareOwnerAndProjects() {
    TokenOwner owner = owner(OWNER, "ci@acme.test", "active");
    PersonalAccessToken a = parsed(owner, projects(0, 3), "releases:deploy");
    PersonalAccessToken b = parsed(owner, projects(1, 3), "releases:deploy");

    Grant g = Grant.compileCandidates(List.of(a, b), PermissionModel.strict(), "0badc0de");

    assertEquals(List.of("share-1", "share-2"), g.projects().stream().map(Project::key).toList());
    assertSame(g.candidates().get(0).scoped(1), g.scoped(0));
    assertSame(g.candidates().get(1).scoped(0), g.scoped(0));
    assertSame(g.candidates().get(0).subject().ownerId(), g.subject().ownerId());
    assertSame(g.candidates().get(1).subject().ownerEmail(), g.subject().ownerEmail());
  }
}
