package dev.patguard.fakebrms;

import static dev.patguard.fakebrms.Http.get;
import static dev.patguard.fakebrms.Http.json;
import static dev.patguard.fakebrms.Http.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The store indexes tokens by owner and users by email; lists and checks answer as a scan over
 * everything would: own tokens only, in creation order, and emails compared ignoring case.
 */
class OwnerIndexTest {
  private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private FakeBrms brms;
  private String adminSecret;

  @BeforeEach
  void start() {
    brms = FakeBrms.builder().clock(clock).start();
    FakeUser admin = brms.createUser(u -> u.email("admin@acme.test").admin());
    adminSecret = brms.mint(t -> t.owner(admin).neverExpires()).secret();
  }

  @AfterEach
  void stop() {
    brms.close();
  }

  private static List<UUID> ids(List<FakeToken> tokens) {
    return tokens.stream().map(FakeToken::id).toList();
  }

  private static List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(t -> out.add(t.get("id").asText()));
    return out;
  }

  @Test
  void tokensOfWhenOwnersMintInTurnThenEachListsOnlyOwnTokensInCreationOrder() {
    FakeUser a = brms.createUser(u -> u.serviceAccount());
    FakeUser b = brms.createUser(u -> u.serviceAccount());
    List<UUID> ofA = new ArrayList<>();
    List<UUID> ofB = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ofA.add(brms.mint(s -> s.owner(a)).id());
      ofB.add(brms.mint(s -> s.owner(b)).id());
    }

    assertEquals(ofA, ids(brms.tokensOf(a.id())));
    assertEquals(ofB, ids(brms.tokensOf(b.id())));
    assertEquals(
        List.of(), brms.tokensOf(UUID.randomUUID()), "a user with no tokens, or no such user");
  }

  @Test
  void tokensOfWhenTokenRevokedExpiredOrRegeneratedThenListAndOrderFollow() {
    FakeUser svc = brms.createUser(u -> u.serviceAccount());
    MintedToken first = brms.mint(s -> s.owner(svc));
    MintedToken second = brms.mint(s -> s.owner(svc));
    MintedToken third = brms.mint(s -> s.owner(svc));

    brms.revoke(second.id());
    brms.expire(first.id());
    String renewed =
        json(post(
                brms,
                "/api/users/service/"
                    + svc.id()
                    + "/personal-access-tokens/"
                    + first.id()
                    + "/regenerate",
                adminSecret,
                "{\"expiry\":\"week\"}"))
            .get("token")
            .asText();

    assertEquals(
        List.of(first.id(), third.id()),
        ids(brms.tokensOf(svc.id())),
        "revoked gone; expired and regenerated keep their place");
    assertEquals(
        List.of(first.id().toString(), third.id().toString()),
        ids(json(get(brms, "/api/personal-access-tokens", renewed))));

    brms.revoke(first.id());
    brms.revoke(third.id());
    assertEquals(List.of(), brms.tokensOf(svc.id()));
    MintedToken again = brms.mint(s -> s.owner(svc).id(second.id()));
    assertEquals(
        List.of(again.id()),
        ids(brms.tokensOf(svc.id())),
        "an id can be minted again after revoking");
  }

  @Test
  void selfListWhenManyOwnersThenCallerSeesOnlyOwnTokens() {
    List<FakeUser> owners = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      owners.add(brms.createUser(u -> u.serviceAccount()));
    }
    List<MintedToken> minted = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      FakeUser owner = owners.get(i % owners.size());
      minted.add(brms.mint(s -> s.owner(owner).expiresIn(Duration.ofDays(30))));
    }

    MintedToken probe = minted.get(47);
    JsonNode list = json(get(brms, "/api/personal-access-tokens", probe.secret()));

    List<String> expected = new ArrayList<>();
    for (int i = 7; i < 100; i += 20) {
      expected.add(minted.get(i).id().toString());
    }
    assertEquals(expected, ids(list));
  }

  @ParameterizedTest
  @CsvSource({
    "ci@acme.test, CI@ACME.TEST",
    "\u00c4rger@acme.test, \u00e4RGER@acme.test",
    // Dotless i upper-cases to I, so equalsIgnoreCase calls these equal.
    "\u0131x@acme.test, ix@acme.test",
    "\u0131x@acme.test, IX@acme.test",
    // Dotted capital I and the Kelvin sign lower-case to i and k.
    "\u0130x@acme.test, ix@acme.test",
    "\u212a@acme.test, k@acme.test",
  })
  void createUserWhenEmailEqualIgnoringCaseThenRejected(String first, String second) {
    assertTrue(first.equalsIgnoreCase(second), "the premise: String.equalsIgnoreCase agrees");
    brms.createUser(u -> u.email(first));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> brms.createUser(u -> u.email(second)));
    assertEquals("a user with email " + second + " already exists", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "ci@acme.test, cj@acme.test",
    "ci@acme.test, ci@acme.test.",
    // Sharp s upper-cases to SS only as a string, never char by char.
    "\u00df@acme.test, ss@acme.test",
  })
  void createUserWhenEmailDiffersIgnoringCaseThenAccepted(String first, String second) {
    assertTrue(!first.equalsIgnoreCase(second), "the premise: String.equalsIgnoreCase disagrees");
    FakeUser one = brms.createUser(u -> u.email(first));
    FakeUser two = brms.createUser(u -> u.email(second));

    assertEquals(first, brms.user(one.id()).orElseThrow().email());
    assertEquals(second, brms.user(two.id()).orElseThrow().email());
  }
}
