package dev.patguard.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patguard.cli.SarifSchema;
import dev.patguard.decision.Decision;
import dev.patguard.decision.DenyReason;
import dev.patguard.decision.IndeterminateCause;
import dev.patguard.decision.Requirement;
import dev.patguard.decision.TokenSubject;
import dev.patguard.decision.Warning;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every deny reason, indeterminate cause and warning core can produce, as SARIF and as GitHub
 * annotations: including those fake-brms cannot provoke through the CLI (an expired token BRMS
 * still lists, stale cached facts, each indeterminate cause).
 */
class FindingTest {
  private static final TokenSubject SUBJECT =
      new TokenSubject("3f2a9c1b", UUID.randomUUID(), UUID.randomUUID(), "ci@acme.test", "ci");
  private static final List<Requirement> REQS =
      List.of(Requirement.parse("releases:deploy@web-shop"));

  @Test
  void findingsWhenEveryCodeThenValidUploadableSarifCoveringEveryRule() throws Exception {
    List<Decision> decisions = new ArrayList<>();
    for (DenyReason.Code code : DenyReason.Code.values()) {
      decisions.add(
          Decision.deny(SUBJECT, List.of(new DenyReason(code, "detail-" + code)), List.of()));
    }
    for (IndeterminateCause cause : IndeterminateCause.values()) {
      decisions.add(Decision.indeterminate(SUBJECT, cause, "what happened"));
    }
    for (Warning.Code code : Warning.Code.values()) {
      decisions.add(Decision.permit(SUBJECT, List.of(new Warning(code, "2026-12-01T00:00:00Z"))));
    }
    Set<Rule> covered = EnumSet.noneOf(Rule.class);
    for (Decision d : decisions) {
      List<Finding> findings = new ArrayList<>(Finding.ofDecision(d, REQS));
      assertFalse(findings.isEmpty(), d::explain);
      findings.add(Finding.notReviewed(SUBJECT, REQS, "least privilege not reviewed"));
      findings.forEach(f -> covered.add(f.rule()));
      int exit = d instanceof Decision.Indeterminate ? 2 : d.isPermit() ? 0 : 1;
      String text =
          Output.JSON
              .valueToTree(
                  Sarif.log(
                      "check",
                      findings,
                      ArtifactOptions.toUri("ci/a b.yml"),
                      "1.0",
                      exit,
                      exit == 2 ? d.explain() : null))
              .toString();
      SarifSchema.assertUploadable(text);
      JsonNode doc = Output.JSON.readTree(text);
      assertEquals(
          "ci/a%20b.yml",
          doc.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri").asText());
      for (Finding f : findings) {
        String annotation = GitHub.annotation(f, "ci/a b.yml");
        assertTrue(
            annotation.startsWith(
                "::"
                    + (f.rule().level.equals("note") ? "notice" : f.rule().level)
                    + " file=ci/a b.yml,line=1,title="
                    + f.rule().id
                    + "::"),
            annotation);
        assertEquals(1, annotation.lines().count(), annotation);
      }
    }
    // The least-privilege review's own rules come from LeastPrivilegeReport (SarifOutputTest).
    Set<Rule> reviewOnly =
        EnumSet.of(
            Rule.EXCESS_PERMISSION,
            Rule.EXCESS_PROJECT,
            Rule.NEVER_EXPIRES,
            Rule.LIFETIME_TOO_LONG);
    assertEquals(EnumSet.complementOf(EnumSet.copyOf(reviewOnly)), covered);
  }

  @Test
  void fingerprintWhenSameFindingThenSameElseDifferentAndNeverTheSecret() {
    Finding a =
        Finding.ofDecision(Decision.deny(SUBJECT, DenyReason.permissionMissing("x:y")), REQS)
            .get(0);
    Finding again =
        Finding.ofDecision(Decision.deny(SUBJECT, DenyReason.permissionMissing("x:y")), REQS)
            .get(0);
    Finding other =
        Finding.ofDecision(Decision.deny(SUBJECT, DenyReason.permissionMissing("x:z")), REQS)
            .get(0);
    Finding otherToken =
        Finding.ofDecision(
                Decision.deny(
                    new TokenSubject("0badc0de", UUID.randomUUID(), null, null, null),
                    DenyReason.permissionMissing("x:y")),
                REQS)
            .get(0);

    assertEquals(a.fingerprint(), again.fingerprint());
    assertFalse(a.fingerprint().equals(other.fingerprint()));
    assertFalse(a.fingerprint().equals(otherToken.fingerprint()));
    assertEquals(1, Finding.distinct(List.of(a, again, a)).size());
    assertEquals(2, Finding.distinct(List.of(a, other)).size());
  }

  @Test
  void escapingWhenWorkflowCommandSpecialsThenEscapedAsTheRunnerReadsThem() {
    assertEquals("100%25 done%0D%0Anext: a, b", GitHub.data("100% done\r\nnext: a, b"));
    assertEquals("a%3A b%2C c%25%0A", GitHub.property("a: b, c%\n"));
    assertEquals("a\\|b \\*c\\* \\<script\\>", GitHub.markdown("a|b *c* <script>"));
  }

  @Test
  void relativeWhenPathsThenNormalisedOrRefused() {
    assertEquals("a/b.yml", ArtifactOptions.relative("./a//b.yml").orElseThrow());
    assertEquals("a/b.yml", ArtifactOptions.relative("a\\b.yml").orElseThrow());
    for (String bad : List.of("", "/abs", "..", "a/../../b", "C:/x", "file://x", "  ")) {
      assertTrue(ArtifactOptions.relative(bad).isEmpty(), bad);
    }
    assertEquals(
        ".github/workflows/deploy.yml",
        ArtifactOptions.workflowFile("o/r/.github/workflows/deploy.yml@refs/heads/main")
            .orElseThrow());
    assertTrue(ArtifactOptions.workflowFile("nonsense").isEmpty());
    assertEquals("%C3%A9t%C3%A9/a%3Ab%23c%3F.yml", ArtifactOptions.toUri("été/a:b#c?.yml"));
  }
}
