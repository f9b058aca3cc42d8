package dev.patguard.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What each reason code says about the answers enforcement points give (401 or 403, which details).
 */
class DenyReasonTest {
  private static final Set<DenyReason.Code> ABOUT_THE_TOKEN =
      EnumSet.of(
          DenyReason.Code.TOKEN_INVALID,
          DenyReason.Code.TOKEN_EXPIRED,
          DenyReason.Code.OWNER_INACTIVE);
  private static final Set<DenyReason.Code> DETAIL_FOR_CALLERS =
      EnumSet.of(DenyReason.Code.PERMISSION_MISSING, DenyReason.Code.PROJECT_OUT_OF_SCOPE);

  @ParameterizedTest
  @EnumSource(DenyReason.Code.class)
  void codeWhenAnyThenSaysWhetherItIsAboutTheTokenAndWhetherCallersSeeItsDetail(
      DenyReason.Code code) {
    assertEquals(ABOUT_THE_TOKEN.contains(code), code.isAboutTheToken(), code::name);
    assertEquals(DETAIL_FOR_CALLERS.contains(code), code.isDetailForCallers(), code::name);
    // A reason about the token is answered with one identical "invalid token": it never shows a
    // detail.
    assertFalse(code.isAboutTheToken() && code.isDetailForCallers(), code::name);
  }
}
