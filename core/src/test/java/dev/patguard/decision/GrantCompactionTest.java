package dev.patguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patguard.token.PersonalAccessToken;
import dev.patguard.token.Project;
import dev.patguard.token.TokenJson;
import dev.patguard.token.TokenOwner;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A compiled grant keeps only what decisions need, so that cached grants stay small. */
class GrantCompactionTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final UUID WEB = UUID.fromString("0b7a4c8e-2f1d-4a3b-9c5e-6d7f8a9b0c1d");

  /** Parsed from JSON, so that every string is a fresh copy, as on the wire. */
  private static PersonalAccessToken parsedToken(String status, String... permissions) {
    Project web =
        new Project(
            WEB,
            "Web shop",
            UUID.randomUUID(),
            "1.4.2",
            "web-shop",
            true,
            NOW.minusSeconds(86_400),
            NOW.minusSeconds(3_600));
    TokenOwner owner =
        new TokenOwner(
            UUID.randomUUID(),
            "ci@acme.test",
            "service account",
            status,
            "CI",
            "Bot",
            true,
            NOW,
            NOW);
    PersonalAccessToken t =
        new PersonalAccessToken(
            UUID.randomUUID(),
            "deploy",
            List.of(permissions),
            false,
            List.of(web),
            owner,
            NOW,
            NOW,
            NOW.plusSeconds(30 * 86_400L));
    return TokenJson.parseToken(TokenJson.write(t));
  }

  @Test
  void compileWhenPermissionsAreKnownThenDeclaredNamesAreThePermissionConstantsOwnStrings() {
    PersonalAccessToken token = parsedToken("active", "releases:deploy", "vendor:custom");
    Grant grant = Grant.compile(token, PermissionModel.strict());

    assertEquals(List.of("releases:deploy", "vendor:custom"), grant.declaredPermissions());
    assertSame(Permission.RELEASES_DEPLOY.name(), grant.declaredPermissions().get(0));
    assertEquals("vendor:custom", grant.declaredPermissions().get(1));
  }

  @Test
  void compileWhenProjectsCarryDisplayFactsThenOnlyIdKeyAndProtectedFlagAreKept() {
    Grant grant = Grant.compile(parsedToken("active", "releases:deploy"), PermissionModel.strict());

    Project kept = grant.projects().get(0);
    assertEquals(WEB, kept.id());
    assertEquals("web-shop", kept.key());
    assertTrue(kept.isProtected());
    assertNull(kept.name());
    assertNull(kept.organisationId());
    assertNull(kept.version());
    assertNull(kept.createdAt());
    assertNull(kept.updatedAt());
  }

  @Test
  void decideWhenGrantIsCompactedThenProjectsStillMatchByIdAndByKey() {
    Grant grant = Grant.compile(parsedToken("active", "releases:deploy"), PermissionModel.strict());
    Authorizer authorizer = Authorizer.standard();

    assertTrue(
        authorizer.decide(grant, Requirement.parse("releases:deploy@web-shop"), NOW).isPermit());
    assertTrue(
        authorizer.decide(grant, Requirement.parse("releases:deploy@" + WEB), NOW).isPermit());
    assertTrue(
        authorizer.decide(grant, Requirement.parse("releases:deploy@other"), NOW)
            instanceof Decision.Deny);
  }

  @Test
  void compileWhenOwnerIsActiveThenStatusIsSharedAndOtherStatusesAreKeptVerbatim() {
    Grant active =
        Grant.compile(parsedToken("active", "releases:deploy"), PermissionModel.strict());
    Grant pending =
        Grant.compile(parsedToken("Pending", "releases:deploy"), PermissionModel.strict());

    assertSame("active", active.ownerStatus().orElseThrow());
    assertEquals("Pending", pending.ownerStatus().orElseThrow());
    assertTrue(
        Authorizer.standard().decide(pending, Requirement.parse("releases:deploy@web-shop"), NOW)
            instanceof Decision.Deny);
  }
}
