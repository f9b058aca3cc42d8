package dev.patguard.junit;

import static dev.patguard.junit.TokenAssertions.assertThatToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.decision.Grant;
import dev.patguard.decision.PermissionModel;
import dev.patguard.decision.Requirement;
import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import dev.patguard.token.SecretDigest;
import dev.patguard.token.TokenOwner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;

class TokenAssertionsTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final UUID WEB_SHOP = UUID.fromString("3c90c3cc-0d44-4b50-8888-8dd25736052a");
  private static final UUID ADMIN = UUID.fromString("5d1b2f7e-1111-4b50-8888-8dd25736052a");

  static PersonalAccessToken token(
      List<String> permissions,
      boolean allProjects,
      List<String> projects,
      @Nullable Instant expiresAt,
      String status) {
    List<Project> ps =
        projects.stream().map(k -> Project.of(k.equals("web-shop") ? WEB_SHOP : ADMIN, k)).toList();
    return new PersonalAccessToken(
        UUID.fromString("6f1e0c1a-2222-4b50-8888-8dd25736052a"),
        "ci deploy",
        permissions,
        allProjects,
        ps,
        TokenOwner.of(
            UUID.fromString("7a7a7a7a-3333-4b50-8888-8dd25736052a"), "ci@acme.test", status),
        null,
        null,
        expiresAt);
  }

  static PersonalAccessToken deployToken() {
    return token(
        List.of("releases:deploy"),
        false,
        List.of("web-shop"),
        NOW.plus(Duration.ofDays(30)),
        "active");
  }

  @Test
  void chainWhenTokenIsLeastPrivilegeThenPasses() {
    assertThatToken(deployToken())
        .at(CLOCK)
        .grants("releases:deploy")
        .grantsOnly("releases:deploy")
        .onProject("web-shop")
        .onlyOnProjects("web-shop")
        .isNotAllProjects()
        .isNotOwner()
        .expires()
        .expiresWithin(Duration.ofDays(90))
        .ownerIsActive()
        .isLeastPrivilegeFor(Requirement.parse("releases:deploy@web-shop"))
        .permits(Requirement.parse("releases:deploy@web-shop"))
        .denies(Requirement.parse("releases:deploy@admin"))
        .denies("releases:manage@web-shop");
  }

  @Test
  void isLeastPrivilegeForWhenOwnerTokenThenListsRequiredGrantedAndExcess() {
    PersonalAccessToken owner = token(List.of("owner"), true, List.of(), null, "active");
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> assertThatToken(owner).at(CLOCK).isLeastPrivilegeFor("releases:deploy@web-shop"));
    String m = e.getMessage();
    assertTrue(
        m.startsWith(
            "token 6f1e0c1a-2222-4b50-8888-8dd25736052a (note \"ci deploy\") is NOT least privilege"
                + " for releases:deploy@web-shop"),
        m);
    assertTrue(m.contains("required: releases:deploy@web-shop"), m);
    assertTrue(m.contains("granted:  branches, branches:create"), m);
    assertTrue(m.contains("excess:   branches,"), m);
    assertTrue(m.contains("excess project scope: allProjects is true"), m);
    assertTrue(m.contains("lifetime: never expires"), m);
    assertTrue(e.isExpectedDefined() && e.isActualDefined());
    assertEquals(
        "permissions [releases:deploy] on projects [web-shop], expiring",
        e.getExpected().getValue());
  }

  @Test
  void grantsOnlyWhenExtraPermissionThenNamesTheExcess() {
    PersonalAccessToken t =
        token(
            List.of("releases:deploy", "releases:delete"),
            false,
            List.of("web-shop"),
            NOW.plus(Duration.ofDays(30)),
            "active");
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class, () -> assertThatToken(t).grantsOnly("releases:deploy"));
    assertTrue(e.getMessage().contains("but it also grants [releases:delete]"), e.getMessage());
    assertEquals("[releases:deploy]", e.getExpected().getValue());
    assertEquals("[releases:delete, releases:deploy]", e.getActual().getValue());
  }

  @Test
  void onlyOnProjectsWhenWrongProjectThenListsExcessAndMissing() {
    PersonalAccessToken t =
        token(List.of("releases:deploy"), false, List.of("admin"), NOW.plusSeconds(60), "active");
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class, () -> assertThatToken(t).onlyOnProjects("web-shop"));
    assertTrue(e.getMessage().contains("excess:   admin"), e.getMessage());
    assertTrue(e.getMessage().contains("missing:  web-shop"), e.getMessage());
    assertThrows(AssertionFailedError.class, () -> assertThatToken(t).onProject("web-shop"));
  }

  @Test
  void expiresWithinWhenExpiryBeyondMaximumThenFailsWithDates() {
    PersonalAccessToken t =
        token(
            List.of("releases:deploy"),
            false,
            List.of("web-shop"),
            NOW.plus(Duration.ofDays(365)),
            "active");
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> assertThatToken(t).at(CLOCK).expiresWithin(Duration.ofDays(90)));
    assertTrue(
        e.getMessage().contains("but it expires at 2027-11-29T12:00:00Z, PT8760H from now"),
        e.getMessage());
    assertThrows(
        AssertionFailedError.class,
        () ->
            assertThatToken(t)
                .at(Clock.offset(CLOCK, Duration.ofDays(366)))
                .expiresWithin(Duration.ofDays(90)));
    assertThatToken(t)
        .at(Clock.offset(CLOCK, Duration.ofDays(300)))
        .expiresWithin(Duration.ofDays(90));
  }

  @Test
  void softlyWhenSeveralFailThenReportsEveryFailureTogether() {
    PersonalAccessToken owner = token(List.of("owner"), true, List.of(), null, "inactive");
    TokenAssert soft =
        assertThatToken(owner)
            .softly()
            .isNotOwner()
            .isNotAllProjects()
            .expires()
            .ownerIsActive()
            .grants("releases:deploy");
    MultipleFailuresError e = assertThrows(MultipleFailuresError.class, soft::assertAll);
    assertEquals(4, e.getFailures().size());
    assertTrue(e.getMessage().startsWith("token assertions on token 6f1e0c1a"), e.getMessage());
  }

  @Test
  void assertThatTokenWhenGrantHasFingerprintThenNamesTokenByFingerprintNeverSecret() {
    String secret = "s3cr3t-value-for-the-test-0123456789abcd";
    String fp = SecretDigest.fingerprintOf(secret);
    Grant g =
        Grant.compile(
            token(List.of("owner"), false, List.of("web-shop"), NOW.plusSeconds(60), "active"),
            PermissionModel.strict(),
            fp);
    AssertionFailedError e =
        assertThrows(AssertionFailedError.class, () -> assertThatToken(g).isNotOwner());
    assertTrue(
        e.getMessage()
            .startsWith(
                "Expected token "
                    + fp
                    + " (id 6f1e0c1a-2222-4b50-8888-8dd25736052a,"
                    + " note \"ci deploy\") not to hold owner"),
        e.getMessage());
    assertTrue(!e.getMessage().contains(secret));
  }

  @Test
  void permitsWhenDeniedThenExplainsTheDecision() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> assertThatToken(deployToken()).at(CLOCK).permits("releases:manage@web-shop"));
    assertTrue(e.getMessage().contains("PERMISSION_MISSING releases:manage"), e.getMessage());
    assertThrows(
        AssertionFailedError.class,
        () -> assertThatToken(deployToken()).at(CLOCK).denies("releases:deploy@web-shop"));
  }

  @Test
  void expiresWithinWhenTokenExpiresInTheYear9999AndTheLimitIsHugeThenPassesWithoutOverflow() {
    PersonalAccessToken farFuture =
        token(
            List.of("releases:deploy"),
            false,
            List.of("web-shop"),
            Instant.parse("9999-12-31T23:59:59Z"),
            "active");
    assertThatToken(farFuture).at(CLOCK).expiresWithin(Duration.ofSeconds(Long.MAX_VALUE));

    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> assertThatToken(farFuture).at(CLOCK).expiresWithin(Duration.ofDays(90)));
    assertTrue(e.getMessage().contains("but it expires at 9999-12-31T23:59:59Z"), e.getMessage());
  }
}
